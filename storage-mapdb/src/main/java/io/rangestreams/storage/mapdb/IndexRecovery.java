package io.rangestreams.storage.mapdb;

import io.rangestreams.RangeStreamException;
import java.io.IOException;
import org.mapdb.DBException;

/**
 * The store's index and its way back from a failed change: the database is brought back to its last commit
 * and the in-memory mirror rebuilt from it, so memory, index and data file agree again. If that fails too
 * (the disk is still full), the next change tries again. Callers hold the store's write lock to change it,
 * its read lock to read the index.
 */
final class IndexRecovery implements Commits.Failures {

    private final IndexDatabase database;
    private final DataFile data;
    private final String description;
    private final long maxBytes;
    private Commits commits;
    // Replaced when the database is opened again after a failure.
    private PieceIndex index;
    // Whether a failure left the database to be opened again before the next use.
    private boolean broken;

    IndexRecovery(IndexDatabase database, DataFile data, String description, long maxBytes, PieceIndex index) {
        this.database = database;
        this.data = data;
        this.description = description;
        this.maxBytes = maxBytes;
        this.index = index;
    }

    /** Tells {@code commits} when the index restarts from the last commit; set once, before any change. */
    void attach(Commits commits) {
        this.commits = commits;
    }

    /** The index in use. */
    PieceIndex index() {
        return index;
    }

    @Override
    public boolean broken() {
        return broken;
    }

    @Override
    public RangeStreamException failed(String what, Exception cause) {
        RangeStreamException failure = database.failure(what, cause);
        broken = true;
        try {
            recover();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    /** Opens the database again if a failure left it to be. */
    void repairIfBroken() throws IOException {
        if (broken) {
            try {
                recover();
            } catch (DBException e) {
                throw database.failure("opening it again after a failure", e);
            }
        }
    }

    private void recover() throws IOException {
        database.recover();
        PieceIndex reloaded = new PieceIndex(database.db(), data, description);
        reloaded.load(maxBytes);
        index = reloaded;
        commits.restarted();
        broken = false;
    }
}
