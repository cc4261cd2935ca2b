package io.onramp.connect.source.jdbc;

import java.util.ArrayList;
import java.util.List;

/**
 * The 0.1.0 decoder: how version 0.1.0 (ec5bb5f, {@code GapTracker.decode}) read the {@code gaps} entry of a JDBC
 * source offset, copied verbatim but for the result type. Offsets written now must stay readable by it, so a
 * rollback, or a task that moves to an older worker during a rolling upgrade, resumes where the table stood.
 */
final class GapOffsetDecoder010 {

    /** What 0.1.0 resumes from: the highest id read (null: the whole table again) and the gaps it looks for. */
    record State(Long maxSeen, List<GapTracker.Gap> gaps) {
    }

    private GapOffsetDecoder010() {
    }

    static State decode(String text) {
        Long maxSeen = null;
        List<GapTracker.Gap> gaps = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return new State(maxSeen, gaps);
        }
        int bar = text.indexOf('|');
        String max = text.substring(0, bar);
        maxSeen = max.isEmpty() ? null : Long.parseLong(max);
        String rest = text.substring(bar + 1);
        if (!rest.isEmpty()) {
            for (String part : rest.split(",")) {
                int tilde = part.indexOf('~', 1); // from may be negative
                int at = part.indexOf('@');
                gaps.add(new GapTracker.Gap(Long.parseLong(part.substring(0, tilde)), Long.parseLong(part.substring(tilde + 1, at)),
                        Long.parseLong(part.substring(at + 1))));
            }
        }
        return new State(maxSeen, gaps);
    }
}
