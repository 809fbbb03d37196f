package io.rangestreams.storage.mapdb;

import io.rangestreams.RangeStreamException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import org.mapdb.DBException;

/**
 * A store's group commits, by its {@link GroupCommit} policy: what is pending, and committing it (the
 * data file synced first, then the index) from a writer, the timer or close. Its fields are guarded by
 * {@code changes}, the store's write lock, which a commit takes too.
 */
final class Commits {

    /** What the store does when a commit fails, and whether it can commit at all. */
    interface Failures {
        /** Whether a failure left the database to be opened again: nothing can be committed then. */
        boolean broken();

        /** Brings the store back to its last commit and returns the error to report. */
        RangeStreamException failed(String what, Exception cause);
    }

    private static final System.Logger LOG = System.getLogger(Commits.class.getName());

    private final Lock changes;
    private final IndexDatabase database;
    private final DataFile data;
    private final Failures failures;
    private final long bytes;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean queued = new AtomicBoolean();
    private long pending;
    private volatile boolean dirty; // volatile: the timer looks without the lock, to skip syncing an idle store
    private boolean stopped;

    Commits(GroupCommit policy, long maxBytes, Lock changes, IndexDatabase database, DataFile data,
            Failures failures) {
        this.changes = changes;
        this.database = database;
        this.data = data;
        this.failures = failures;
        this.bytes = policy.bytesFor(maxBytes);
        this.timer = policy.startTimer("range-streams MapDB commit " + data.path().getFileName(), this::inBackground);
    }

    /**
     * Records a change of {@code n} bytes (written, evicted or dropped). The caller holds the lock.
     *
     * @return the bytes pending now
     */
    long changed(long n) {
        pending += n;
        dirty = true;
        return pending;
    }

    /** The database was brought back to its last commit; what the reload changed is pending. */
    void restarted() {
        pending = 0;
        dirty = true;
    }

    /**
     * After a change, without the lock: once enough is pending, commits in the background, so the
     * disk syncs while the writer goes on receiving; once twice that is pending, waits for the commit,
     * so unsynced bytes and space not yet reusable stay bounded when the disk is slower.
     */
    void afterChange(long pendingNow) throws IOException {
        if (pendingNow >= 2 * bytes) {
            commit();
        } else if (pendingNow >= bytes && queued.compareAndSet(false, true)) {
            try {
                timer.execute(() -> {
                    queued.set(false);
                    inBackground();
                });
            } catch (RejectedExecutionException e) {
                queued.set(false); // stopped meanwhile: close commits
            }
        }
    }

    /** Syncs the data file without the lock (readers and writers go on), then commits under it. */
    private void commit() throws IOException {
        data.sync();
        changes.lock();
        try {
            if (!stopped) {
                commitLocked();
            }
        } finally {
            changes.unlock();
        }
    }

    /** Commits what is pending; the caller holds the lock. */
    void commitLocked() throws IOException {
        if (!dirty || failures.broken()) {
            return;
        }
        try {
            data.sync();
            database.commit();
            data.committed();
        } catch (DBException | IOException e) {
            throw failures.failed("committing", e);
        }
        pending = 0;
        dirty = false;
    }

    private void inBackground() {
        if (!dirty) {
            return;
        }
        try {
            commit();
        } catch (IOException | RuntimeException e) {
            changes.lock();
            try {
                if (stopped) {
                    return; // closed while syncing: close committed
                }
            } finally {
                changes.unlock();
            }
            LOG.log(Level.WARNING, "MapDB store data file " + data.path() + ": a background commit failed: "
                    + e.getMessage(), e);
        }
    }

    /** Stops the timer, without interrupting a commit (an interrupt would close the data file); under the lock. */
    void stop() {
        stopped = true;
        timer.shutdown();
    }
}
