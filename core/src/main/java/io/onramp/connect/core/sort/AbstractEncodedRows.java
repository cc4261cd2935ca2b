package io.onramp.connect.core.sort;

import java.util.NoSuchElementException;

/** Iterator plumbing over {@link #fetch()}: {@code hasNext} peeks, {@code next} decodes. */
abstract class AbstractEncodedRows implements EncodedRowIterator {

    protected byte[] array;
    protected int offset;
    protected int length;
    protected RowCodec.Fields fields;
    private boolean peeked;
    private boolean ended;

    /** Moves to the next record: sets array, offset, length and fields; false at the end. */
    protected abstract boolean fetch();

    @Override
    public final boolean advanceEncoded() {
        if (peeked) {
            peeked = false;
            return true;
        }
        if (ended) {
            return false;
        }
        if (!fetch()) {
            ended = true;
            return false;
        }
        return true;
    }

    @Override
    public final boolean hasNext() {
        if (peeked) {
            return true;
        }
        if (ended) {
            return false;
        }
        if (!fetch()) {
            ended = true;
            return false;
        }
        peeked = true;
        return true;
    }

    @Override
    public final Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        peeked = false;
        return RowCodec.decode(array, fields);
    }

    /** Marks the stream ended, e.g. on close. */
    protected final void end() {
        ended = true;
        peeked = false;
    }

    @Override
    public final byte[] encodedArray() {
        return array;
    }

    @Override
    public final int encodedOffset() {
        return offset;
    }

    @Override
    public final int encodedLength() {
        return length;
    }

    @Override
    public final RowCodec.Fields encodedFields() {
        return fields;
    }
}
