package io.onramp.connect.core.sort;

/**
 * Rows that can also be walked in their encoded ({@link RowCodec}) form, without decoding
 * values to strings. The sorter, the sorted run file and the diff recognise such iterators and
 * move bytes instead of {@link Row}s; a caller that only wants rows uses it as an iterator.
 *
 * <p>The encoded accessors describe the record of the last successful {@link #advanceEncoded()};
 * its bytes stay valid until the next call to {@code advanceEncoded}, {@code hasNext} or {@code next}.
 */
public interface EncodedRowIterator extends CloseableIterator<Row> {

    /** Moves to the next record without decoding it; false at the end. */
    boolean advanceEncoded();

    /** The array holding the current record. */
    byte[] encodedArray();

    /** Where the current record starts in {@link #encodedArray()}. */
    int encodedOffset();

    /** The current record's length in bytes. */
    int encodedLength();

    /** The current record's values, located. */
    RowCodec.Fields encodedFields();
}
