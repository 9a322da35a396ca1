package ai.goldkd.teacher;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/** How long to wait before a retry: exponential backoff with jitter, or what a Retry-After header asks. */
final class Backoff {

    private Backoff() {}

    /**
     * The wait before retry number {@code retry}: {@code initial * 2^retry}, capped at {@code max}, then
     * jittered uniformly into its upper half so that clients that failed together do not retry together.
     *
     * @param retry 0 for the first retry
     * @param initial the first wait
     * @param max the cap
     * @return the wait
     */
    static Duration exponential(int retry, Duration initial, Duration max) {
        long cap = max.toMillis();
        long base = initial.toMillis() << Math.min(retry, 30);
        long wait = base <= 0 || base > cap ? cap : base;
        return Duration.ofMillis(wait / 2 + ThreadLocalRandom.current().nextLong(wait / 2 + 1));
    }

    /**
     * Reads a Retry-After header: delay-seconds (whole or decimal) or an HTTP date.
     *
     * @param header the header's value, or null
     * @return the wait it asks for (never negative), or null when there is none or it cannot be read
     */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            double seconds = Double.parseDouble(value);
            return seconds >= 0 && seconds < 1e9 ? Duration.ofMillis((long) Math.ceil(seconds * 1000)) : null;
        } catch (NumberFormatException notSeconds) {
            try {
                Duration wait = Duration.between(
                        ZonedDateTime.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
