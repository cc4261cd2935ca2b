package io.onramp.connect.sink.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ExportScheduleTest {

    private static final ZoneId UTC = ZoneId.of("UTC");

    @Test
    void dailyCronFiresAtTwoInTheMorning() {
        var schedule = ExportSchedule.parse("0 2 * * *", UTC);
        assertThat(schedule.next(Instant.parse("2024-03-01T01:59:59Z"))).isEqualTo("2024-03-01T02:00:00Z");
        assertThat(schedule.next(Instant.parse("2024-03-01T02:00:00Z"))).isEqualTo("2024-03-02T02:00:00Z");
        assertThat(schedule.previousOrAt(Instant.parse("2024-03-01T02:00:00Z"))).isEqualTo("2024-03-01T02:00:00Z");
        assertThat(schedule.previousOrAt(Instant.parse("2024-03-05T00:00:00Z"))).isEqualTo("2024-03-04T02:00:00Z");
    }

    @Test
    void cronFollowsItsTimeZoneAcrossDaylightSaving() {
        var schedule = ExportSchedule.parse("30 6 * * 1-5", ZoneId.of("Europe/Paris"));
        // Friday 29 March 2024, 06:30 CET = 05:30 UTC; next is Monday 1 April, 06:30 CEST = 04:30 UTC
        assertThat(schedule.next(Instant.parse("2024-03-29T00:00:00Z"))).isEqualTo("2024-03-29T05:30:00Z");
        assertThat(schedule.next(Instant.parse("2024-03-29T05:30:00Z"))).isEqualTo("2024-04-01T04:30:00Z");
    }

    @Test
    void intervalTicksAreMultiplesOfItSinceTheEpoch() {
        var schedule = ExportSchedule.parse("PT1H", UTC);
        assertThat(schedule.next(Instant.parse("2024-03-01T10:20:00Z"))).isEqualTo("2024-03-01T11:00:00Z");
        assertThat(schedule.next(Instant.parse("2024-03-01T11:00:00Z"))).isEqualTo("2024-03-01T12:00:00Z");
        assertThat(schedule.previousOrAt(Instant.parse("2024-03-01T10:20:00Z"))).isEqualTo("2024-03-01T10:00:00Z");
        assertThat(ExportSchedule.parse("PT2S", UTC).next(Instant.parse("2024-03-01T10:20:01Z")))
                .isEqualTo("2024-03-01T10:20:02Z");
    }

    @Test
    void rejectsWhatIsNeitherCronNorAnInterval() {
        assertThatThrownBy(() -> ExportSchedule.parse("every night", UTC)).hasMessageContaining("five-field cron");
        assertThatThrownBy(() -> ExportSchedule.parse("0 25 * * *", UTC)).hasMessageContaining("five-field cron");
        assertThatThrownBy(() -> ExportSchedule.parse("P1X", UTC)).hasMessageContaining("ISO-8601 duration");
        assertThatThrownBy(() -> ExportSchedule.parse("PT0.5S", UTC)).hasMessageContaining("shorter than one second");
        assertThatThrownBy(() -> ExportSchedule.parse(" ", UTC)).hasMessageContaining("empty");
    }
}
