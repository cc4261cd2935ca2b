package io.onramp.connect.sink.snapshot.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.SortedMap;

/**
 * What a consumer checks before it trusts an export file, written beside it as {@code <file>.manifest.json} after
 * the file is in place: the row count and SHA-256 of the bytes, the offsets the snapshot covers (every record of
 * each partition below {@code next_offset} is in it, none at or above), the contract it was written with, and the
 * time window (from the previous export's scheduled time to this one's).
 */
public record ExportManifest(String file, String format, String topic, long rows, long bytes, String sha256,
                             SortedMap<Integer, Long> nextOffsets, String contractProduct, Integer contractVersion,
                             String contractFingerprint, String windowStart, String windowEnd, String writtenAt,
                             String connector, String onrampVersion) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static String fileName(String exportFileName) {
        return exportFileName + ".manifest.json";
    }

    public byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("file", file);
        root.put("format", format);
        root.put("topic", topic);
        root.put("rows", rows);
        root.put("bytes", bytes);
        root.put("sha256", sha256);
        var partitions = root.putArray("partitions");
        nextOffsets.forEach((partition, next) -> partitions.addObject().put("partition", partition).put("next_offset", next));
        if (contractProduct != null) {
            var contract = root.putObject("contract");
            contract.put("product", contractProduct);
            contract.put("version", contractVersion);
            contract.put("fingerprint", contractFingerprint);
        } else {
            root.putNull("contract");
        }
        var window = root.putObject("window");
        window.put("start", windowStart);
        window.put("end", windowEnd);
        root.put("written_at", writtenAt);
        root.put("connector", connector);
        root.put("onramp_version", onrampVersion);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A manifest is always serializable", e);
        }
    }
}
