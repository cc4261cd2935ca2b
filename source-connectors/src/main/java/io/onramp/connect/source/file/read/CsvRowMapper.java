package io.onramp.connect.source.file.read;

import io.onramp.connect.core.change.FlatStructText;
import java.util.List;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/** Turns the fields of one CSV row into a Connect value of a fixed schema. */
public interface CsvRowMapper {

    int columnCount();

    Schema schema();

    /** @throws org.apache.kafka.connect.errors.DataException naming the field when a value does not fit */
    Object toValue(List<String> fields);

    /**
     * The row as {@code text.toTexts(toValue(fields))} gives it, with the same failures, for snapshot mode, which
     * only wants the canonical texts. Mappers override it to skip building a Struct when {@code text} is of their
     * {@link #schema()}.
     *
     * @throws org.apache.kafka.connect.errors.DataException naming the field when a value does not fit
     */
    default List<String> toTexts(List<String> fields, FlatStructText text) {
        return text.toTexts((Struct) toValue(fields));
    }

    /** Builds the mapper of one file from its header (null when the file has none). */
    interface Factory {
        /** @throws org.apache.kafka.connect.errors.DataException when the header does not fit */
        CsvRowMapper forColumns(List<String> header);
    }
}
