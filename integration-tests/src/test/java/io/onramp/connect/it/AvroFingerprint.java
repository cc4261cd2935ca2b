package io.onramp.connect.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/** The value the {@code onramp.contract.fingerprint} header must have, computed by Avro itself, not by Onramp. */
public final class AvroFingerprint {

    private AvroFingerprint() {
    }

    /** CRC-64-AVRO of the contract's Parsing Canonical Form, as 16 hex digits. */
    public static String of(Path contract) {
        try {
            return String.format("%016x", SchemaNormalization.parsingFingerprint64(new Schema.Parser().parse(contract.toFile())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
