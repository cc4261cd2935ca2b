package io.onramp.connect.source.file;

import io.onramp.connect.core.QuarantineHeaders;
import io.onramp.connect.source.file.read.ReadResult;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

/** Builds the Kafka records of the file source: data records and quarantined bad records. */
public final class FileRecordFactory {

    /** Header names, stable: consumers and the quarantine's readers rely on them. */
    static final String HEADER_FILE = "onramp.file.name";
    static final String HEADER_LINE = "onramp.file.line";
    static final String HEADER_ERROR_REASON = QuarantineHeaders.REASON;
    static final String HEADER_ERROR_TOPIC = QuarantineHeaders.SOURCE_TOPIC;

    private final String topic;
    private final String quarantineTopic;

    public FileRecordFactory(String topic, String quarantineTopic) {
        this.topic = topic;
        this.quarantineTopic = quarantineTopic;
    }

    public SourceRecord data(FileProgress progress, ReadResult.Parsed parsed) {
        Object value = parsed.value();
        Schema schema = value instanceof Struct struct ? struct.schema() : null;
        return new SourceRecord(progress.partition, FileOffsets.offset(parsed.position()), topic, null,
                null, null, schema, value, null, lineage(progress, parsed.line()));
    }

    /** The raw record as a string, and why it was rejected, for someone to repair and replay it. */
    public SourceRecord quarantine(FileProgress progress, ReadResult.Malformed bad) {
        ConnectHeaders headers = lineage(progress, bad.line());
        headers.addString(HEADER_ERROR_REASON, bad.reason());
        headers.addString(HEADER_ERROR_TOPIC, topic);
        return new SourceRecord(progress.partition, FileOffsets.offset(bad.position()), quarantineTopic, null,
                null, null, Schema.STRING_SCHEMA, bad.raw(), null, headers);
    }

    private static ConnectHeaders lineage(FileProgress progress, long line) {
        var headers = new ConnectHeaders();
        headers.addString(HEADER_FILE, progress.file.name());
        headers.addLong(HEADER_LINE, line);
        return headers;
    }
}
