package io.onramp.connect.core.sort;

import java.util.Iterator;

/** An iterator over resources (open files, temp files) that must be released; close is idempotent. */
public interface CloseableIterator<T> extends Iterator<T>, AutoCloseable {

    /** Releases the resources; I/O failures surface as {@link java.io.UncheckedIOException}. */
    @Override
    void close();
}
