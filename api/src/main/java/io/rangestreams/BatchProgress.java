package io.rangestreams;

import java.time.Duration;
import java.util.Objects;

/**
 * Where a {@link Batch} stands.
 *
 * @param total the URIs given
 * @param started the URIs whose work has begun
 * @param done the URIs finished, succeeded or failed
 * @param failed the URIs among {@code done} that failed
 * @param bytes response body bytes received so far, over all URIs
 * @param elapsed since the batch started
 */
public record BatchProgress(int total, int started, int done, int failed, long bytes, Duration elapsed) {

    /** Validates the counts. */
    public BatchProgress {
        Objects.requireNonNull(elapsed, "elapsed");
        if (total < 0 || started < 0 || done < 0 || failed < 0 || bytes < 0 || elapsed.isNegative()) {
            throw new IllegalArgumentException("negative progress: total=" + total + " started=" + started
                    + " done=" + done + " failed=" + failed + " bytes=" + bytes + " elapsed=" + elapsed);
        }
        if (failed > done || done > started || started > total) {
            throw new IllegalArgumentException("inconsistent progress: expected failed <= done <= started <= total,"
                    + " was failed=" + failed + " done=" + done + " started=" + started + " total=" + total);
        }
    }

    /** The URIs at work now. */
    public int running() {
        return started - done;
    }

    /** The URIs finished with a value. */
    public int succeeded() {
        return done - failed;
    }

    /** Whether every URI is done. */
    public boolean finished() {
        return done == total;
    }

    /** Bytes received per second since the start (0 before any time has passed). */
    public double bytesPerSecond() {
        long nanos = elapsed.toNanos();
        return nanos == 0 ? 0 : bytes * 1e9 / nanos;
    }

    /** URIs done per second since the start (0 before any time has passed). */
    public double urisPerSecond() {
        long nanos = elapsed.toNanos();
        return nanos == 0 ? 0 : done * 1e9 / nanos;
    }
}
