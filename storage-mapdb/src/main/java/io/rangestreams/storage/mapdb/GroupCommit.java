package io.rangestreams.storage.mapdb;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * When the store commits: once {@code bytes} of changes have gathered (in the background; a writer
 * waits once twice that is pending), and on a timer every {@code interval} while any are pending, so
 * a crash loses at most about that much; the store also commits at close. Committing each write
 * instead would sync the disk once per piece.
 *
 * @param bytes the pending bytes that start a commit
 * @param interval the longest a change waits for its commit while the store is idle
 */
record GroupCommit(long bytes, Duration interval) {

    /** The default: 256 MiB or five seconds. */
    static final GroupCommit DEFAULT = new GroupCommit(256L << 20, Duration.ofSeconds(5));

    /** Validates the policy. */
    GroupCommit {
        if (bytes <= 0) {
            throw new IllegalArgumentException("group commit bytes must be positive, was " + bytes);
        }
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("group commit interval must be positive, was " + interval);
        }
    }

    /** The pending bytes that start a commit in a store holding at most {@code maxBytes}. */
    long bytesFor(long maxBytes) {
        // Freed space is reused only after a commit: a small bounded store commits often to stay small on disk.
        return Math.max(1L << 20, Math.min(bytes, maxBytes / 8));
    }

    /** Starts a daemon thread running {@code task} every interval; shut it down at close. */
    ScheduledExecutorService startTimer(String name, Runnable task) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        timer.scheduleWithFixedDelay(task, ms, ms, TimeUnit.MILLISECONDS);
        return timer;
    }
}
