package io.rangestreams.internal;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The retry policy every request path shares: how many attempts, and how long to wait before the next
 * (the server's {@code Retry-After}, else a doubling backoff, both capped).
 */
final class Retries {

    private static final long BACKOFF_BASE_MILLIS = 50;

    private final int retries;
    private final Duration cap;

    Retries(int retries, Duration cap) {
        this.retries = retries;
        this.cap = cap;
    }

    /** Whether a request that has been retried {@code retried} times may be retried once more. */
    boolean allowsAnother(int retried) {
        return retried < retries;
    }

    /** The delay before retry number {@code attempt} (from 1): {@code Retry-After} if given, else backoff; capped. */
    Duration delay(int attempt, Optional<Duration> retryAfter) {
        Duration wait = retryAfter.orElse(Duration.ofMillis(Math.min(cap.toMillis(),
                BACKOFF_BASE_MILLIS << Math.min(attempt, 10))));
        return wait.compareTo(cap) > 0 ? cap : wait;
    }

    /** Waits {@code delay}. */
    static void pause(Duration delay, String what) throws InterruptedIOException {
        try {
            // The backoff itself: the server asked for time (Retry-After) or is failing; there is nothing to wait on.
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting to retry " + what);
        }
    }

    /** A {@code Retry-After} value: seconds, or an HTTP date (none in the past). */
    static Optional<Duration> parseRetryAfter(String value) {
        String v = value.trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(when.getZone()), when);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }
}
