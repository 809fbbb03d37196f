package io.rangestreams.storage.mapdb;

import io.rangestreams.RangeStreamException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.mapdb.DB;
import org.mapdb.DBException;
import org.mapdb.StoreDirectAbstract;

/**
 * The MapDB database holding a store's index: commits it, and after a failed change brings it back to
 * its last commit. A database the store opened itself is closed and opened again, which is how a
 * crash is recovered from too, since MapDB's state in memory cannot be trusted after an I/O error
 * (a full disk leaves it reporting broken records); a caller's database is rolled back.
 */
final class IndexDatabase {

    private final Optional<Path> file; // present when the store opened the database and may reopen it
    private final String description;
    private DB db;

    private IndexDatabase(DB db, Optional<Path> file, String description) {
        this.db = db;
        this.file = file;
        this.description = description;
    }

    /** A database the store opened from {@code file}, and closes. */
    static IndexDatabase owned(DB db, Path file) {
        return new IndexDatabase(db, Optional.of(file), "file " + file);
    }

    /** The caller's database, left open at close. */
    static IndexDatabase callers(DB db) {
        String description = db.getStore() instanceof StoreDirectAbstract s && s.getFile() != null
                ? "file " + s.getFile() : "in-memory database";
        return new IndexDatabase(db, Optional.empty(), description);
    }

    DB db() {
        return db;
    }

    String description() {
        return description;
    }

    boolean isFile() {
        return db.getStore() instanceof StoreDirectAbstract s && s.getFile() != null && !s.getFileDeleteAfterClose();
    }

    void commit() {
        db.commit();
    }

    /**
     * Brings the database back to its last commit.
     *
     * @throws RangeStreamException if it cannot be opened again (say, the disk is still full)
     */
    void recover() throws IOException {
        if (file.isEmpty()) {
            db.rollback();
            return;
        }
        try {
            db.close();
        } catch (RuntimeException e) {
            // closing a database in a failed state may fail too; what is on disk is its last commit
        }
        db = MapDbFile.open(file.get(), Duration.ZERO);
    }

    /** Closes the database if the store opened it. */
    void close() throws RangeStreamException {
        if (file.isPresent()) {
            try {
                db.close();
            } catch (DBException e) {
                throw new RangeStreamException("closing MapDB " + description + ": " + e.getMessage(), e);
            }
        }
    }

    /** The one-line error for a database whose index cannot be read: what to do about it. */
    RangeStreamException damaged(RuntimeException cause) {
        return file.map(f -> MapDbFile.damaged(f, cause)).orElseGet(() -> new RangeStreamException(
                "cannot read the range-streams index in MapDB " + description + " (" + reason(cause) + ")", cause));
    }

    /** The one-line error for a change that failed: "no space left" when the disk is full. */
    RangeStreamException failure(String what, Exception cause) {
        if (cause instanceof RangeStreamException r) {
            return r;
        }
        String reason = reason(cause);
        if (reason.contains("No space left") || file.map(IndexDatabase::almostFull).orElse(false)) {
            return new RangeStreamException("no space left on device for MapDB store " + description + " (" + what
                    + "); free space there or lower the store's maxBytes", cause);
        }
        return new RangeStreamException(what + " in MapDB " + description + " failed: " + reason, cause);
    }

    /** The innermost message of {@code cause}: MapDB wraps the I/O error that says what happened. */
    private static String reason(Throwable cause) {
        String reason = null;
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null) {
                reason = t.getMessage();
            }
        }
        return reason != null ? reason : cause.getClass().getSimpleName();
    }

    private static boolean almostFull(Path file) {
        try {
            return Files.getFileStore(file).getUsableSpace() < (1L << 20);
        } catch (IOException e) {
            return false;
        }
    }
}
