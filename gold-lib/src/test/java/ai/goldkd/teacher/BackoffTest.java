package ai.goldkd.teacher;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        assertEquals(Duration.ofSeconds(2), Backoff.retryAfter("2"));
        assertEquals(Duration.ofMillis(500), Backoff.retryAfter(" 0.5 "));
        assertNull(Backoff.retryAfter(null));
        assertNull(Backoff.retryAfter("soon"));
        assertNull(Backoff.retryAfter("-1"));
        String inThreeSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(3));
        Duration wait = Backoff.retryAfter(inThreeSeconds);
        assertTrue(wait.toMillis() > 1000 && wait.toMillis() <= 3000, wait.toString());
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).minusSeconds(30));
        assertEquals(Duration.ZERO, Backoff.retryAfter(past));
    }

    @Test
    void backoffDoublesWithJitterUpToTheCap() {
        Duration initial = Duration.ofMillis(100);
        Duration max = Duration.ofMillis(1000);
        for (int i = 0; i < 200; i++) {
            long first = Backoff.exponential(0, initial, max).toMillis();
            long third = Backoff.exponential(2, initial, max).toMillis();
            long late = Backoff.exponential(40, initial, max).toMillis();
            assertTrue(first >= 50 && first <= 100, "first " + first);
            assertTrue(third >= 200 && third <= 400, "third " + third);
            assertTrue(late >= 500 && late <= 1000, "late " + late);
        }
    }
}
