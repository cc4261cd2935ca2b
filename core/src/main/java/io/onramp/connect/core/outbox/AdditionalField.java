package io.onramp.connect.core.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One entry of {@value OutboxRoutingConfig#ADDITIONAL_PLACEMENT}: {@code column:placement[:alias]}, as in
 * Debezium's EventRouter. {@code header} adds a header named {@code alias}, {@code envelope} a value field named
 * {@code alias} next to {@code payload}, {@code partition} takes the record's partition from the column.
 */
public record AdditionalField(String column, Placement placement, String alias) {

    public enum Placement { HEADER, ENVELOPE, PARTITION }

    /** Parses the list; throws IllegalArgumentException with a sentence naming the bad entry. */
    public static List<AdditionalField> parseAll(List<String> entries) {
        var fields = new ArrayList<AdditionalField>(entries.size());
        var envelopeNames = new java.util.HashSet<String>();
        boolean partition = false;
        for (String entry : entries) {
            AdditionalField field = parse(entry);
            if (field.placement == Placement.PARTITION) {
                if (partition) {
                    throw new IllegalArgumentException("only one column may be placed in the partition");
                }
                partition = true;
            }
            if (field.placement == Placement.ENVELOPE) {
                if (field.alias.equals(OutboxRouting.ENVELOPE_PAYLOAD) || !envelopeNames.add(field.alias)) {
                    throw new IllegalArgumentException("envelope field '" + field.alias + "' is used twice (or is"
                            + " 'payload', which holds the event)");
                }
            }
            fields.add(field);
        }
        return List.copyOf(fields);
    }

    static AdditionalField parse(String entry) {
        String[] parts = entry.trim().split(":", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isBlank() || (parts.length == 3 && parts[2].isBlank())) {
            throw new IllegalArgumentException("'" + entry + "' is not column:placement or column:placement:alias");
        }
        Placement placement;
        try {
            placement = Placement.valueOf(parts[1].trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + entry + "' has placement '" + parts[1]
                    + "'; use header, envelope or partition");
        }
        String column = parts[0].trim();
        return new AdditionalField(column, placement, parts.length == 3 ? parts[2].trim() : column);
    }
}
