package io.onramp.connect.source.file;

import java.util.List;
import org.apache.kafka.connect.data.Schema;

/** Turns the fields of one CSV row into a Connect value of a fixed schema. */
interface CsvRowMapper {

    int columnCount();

    Schema schema();

    /** @throws org.apache.kafka.connect.errors.DataException naming the field when a value does not fit */
    Object toValue(List<String> fields);

    /** Builds the mapper of one file from its header (null when the file has none). */
    interface Factory {
        /** @throws org.apache.kafka.connect.errors.DataException when the header does not fit */
        CsvRowMapper forColumns(List<String> header);
    }
}
