package io.onramp.connect.sink.snapshot;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/**
 * When exports run: a standard five-field cron expression ({@code minute hour day-of-month month day-of-week},
 * e.g. {@code 0 2 * * *}, parsed by cron-utils with Unix cron semantics) in a time zone, or an ISO-8601 duration
 * ({@code PT1H}, {@code P1D}) whose ticks are whole multiples of it since the epoch, so they do not drift with
 * restarts.
 */
final class ExportSchedule {

    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    private final String text;
    private final ExecutionTime cron;
    private final Duration interval;
    private final ZoneId zone;

    private ExportSchedule(String text, ExecutionTime cron, Duration interval, ZoneId zone) {
        this.text = text;
        this.cron = cron;
        this.interval = interval;
        this.zone = zone;
    }

    /** @throws IllegalArgumentException with a sentence saying what is wrong */
    static ExportSchedule parse(String text, ZoneId zone) {
        String s = text == null ? "" : text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("the schedule is empty; give a cron expression such as '0 2 * * *'"
                    + " or an ISO-8601 interval such as 'PT1H'");
        }
        if (s.startsWith("P") || s.startsWith("p")) {
            Duration interval;
            try {
                interval = Duration.parse(s);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + s + "' is not an ISO-8601 duration such as PT1H, PT15M or P1D");
            }
            if (interval.compareTo(MIN_INTERVAL) < 0) {
                throw new IllegalArgumentException("the interval '" + s + "' is shorter than one second");
            }
            return new ExportSchedule(s, null, interval, zone);
        }
        try {
            var cron = CRON.parse(s);
            cron.validate();
            return new ExportSchedule(s, ExecutionTime.forCron(cron), null, zone);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + s + "' is neither a five-field cron expression"
                    + " (minute hour day-of-month month day-of-week, e.g. '0 2 * * *') nor an ISO-8601 interval"
                    + " (e.g. 'PT1H'): " + e.getMessage());
        }
    }

    /** The first tick strictly after {@code after}. */
    Instant next(Instant after) {
        if (interval != null) {
            long step = interval.toMillis();
            long ticks = Math.floorDiv(after.toEpochMilli(), step) + 1;
            return Instant.ofEpochMilli(ticks * step);
        }
        return cron.nextExecution(ZonedDateTime.ofInstant(after, zone))
                .orElseThrow(() -> new IllegalStateException("The schedule '" + text + "' never fires again"))
                .toInstant();
    }

    /** The last tick at or before {@code at}, or null when there is none yet. */
    Instant previousOrAt(Instant at) {
        if (interval != null) {
            long step = interval.toMillis();
            return Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), step) * step);
        }
        Instant probe = at.plusSeconds(1);
        return cron.lastExecution(ZonedDateTime.ofInstant(probe, zone)).map(ZonedDateTime::toInstant)
                .filter(t -> !t.isAfter(at)).orElse(null);
    }

    ZoneId zone() {
        return zone;
    }

    @Override
    public String toString() {
        return text;
    }
}
