package io.onramp.connect.source.jdbc;

import io.onramp.connect.source.jdbc.GapTracker.Gap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The text of a gap list in the source offset, kept up to date cheaply: each record of a read carries it, so it must
 * not be built anew for every row ({@link GapTracker} reads a table with holes by appending gap after gap).
 *
 * <p>Format: gaps ascending, separated by {@code ','}; each {@code from[~length][@since]}. The first gap's {@code
 * from} and {@code since} are absolute; every later {@code from} is the distance from the previous gap's last id
 * and its {@code since} the difference to the previous gap's ({@code @since} left out when equal); {@code ~length}
 * ({@code to - from}) is left out for a single id. So a table missing every other id costs a few characters per
 * gap. Differences are taken modulo 2^64 and added back the same way, so any long ids round-trip. Never contains
 * {@code '|'}, which marks the format of earlier versions.
 *
 * <p>A gap added above all others is appended to the text and the lowest gap's removal cuts it off the front; any
 * other change marks the text stale and the next {@link #text} writes it again from the list. The String handed out
 * is the same instance until the text changes.
 */
final class GapText {

    private final StringBuilder text = new StringBuilder();
    private Gap last; // the gap written last, null when the text is empty
    private boolean stale;
    private String current = "";

    /** {@code gap} was added above every other gap. */
    void appended(Gap gap) {
        current = null;
        if (!stale) {
            write(text, last, gap);
            last = gap;
        }
    }

    /** The lowest gap was removed; {@code newFirst} is the lowest now, null when none is left. */
    void removedFirst(Gap newFirst) {
        current = null;
        if (stale) {
            return;
        }
        if (newFirst == null) {
            text.setLength(0);
            last = null;
            return;
        }
        text.delete(0, text.indexOf(",") + 1);
        // The new first gap was written relative to the one removed: write it absolute.
        int end = text.indexOf(",");
        var absolute = new StringBuilder();
        write(absolute, null, newFirst);
        text.replace(0, end < 0 ? text.length() : end, absolute.toString());
    }

    /** Any other change: the text is written again from the list when next asked for. */
    void changed() {
        current = null;
        stale = true;
    }

    /** The text of {@code gaps} (the list this text follows, ascending). */
    String text(Collection<Gap> gaps) {
        if (stale) {
            text.setLength(0);
            last = null;
            for (Gap gap : gaps) {
                write(text, last, gap);
                last = gap;
            }
            stale = false;
        }
        if (current == null) {
            current = text.toString();
        }
        return current;
    }

    private static void write(StringBuilder out, Gap previous, Gap gap) {
        if (previous == null) {
            out.append(gap.from());
        } else {
            out.append(',').append(gap.from() - previous.to());
        }
        if (gap.to() != gap.from()) {
            out.append('~').append(gap.to() - gap.from());
        }
        if (previous == null) {
            out.append('@').append(gap.sinceMs());
        } else if (gap.sinceMs() != previous.sinceMs()) {
            out.append('@').append(gap.sinceMs() - previous.sinceMs());
        }
    }

    /** The gaps a text written by this class holds; a malformed text is an IllegalArgumentException. */
    static List<Gap> parse(String text) {
        List<Gap> gaps = new ArrayList<>();
        if (text.isEmpty()) {
            return gaps;
        }
        Gap previous = null;
        for (String part : text.split(",", -1)) {
            try {
                int at = part.indexOf('@');
                int tilde = part.indexOf('~');
                int fromEnd = tilde >= 0 ? tilde : at >= 0 ? at : part.length();
                long from = Long.parseLong(part.substring(0, fromEnd));
                long length = tilde >= 0 ? Long.parseLong(part.substring(tilde + 1, at >= 0 ? at : part.length())) : 0;
                Long since = at >= 0 ? Long.parseLong(part.substring(at + 1)) : null;
                if (previous == null) {
                    if (since == null) {
                        throw new IllegalArgumentException("the first gap has no time");
                    }
                    previous = new Gap(from, from + length, since);
                } else {
                    long start = previous.to() + from;
                    previous = new Gap(start, start + length, previous.sinceMs() + (since == null ? 0 : since));
                }
                gaps.add(previous);
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                throw new IllegalArgumentException("gap " + (gaps.size() + 1) + " of the offset's gap list is malformed", e);
            }
        }
        return gaps;
    }
}
