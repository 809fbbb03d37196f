package io.rangestreams.storage.mapdb;

import io.rangestreams.RangeStreamException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.mapdb.DB;
import org.mapdb.DBException;
import org.mapdb.DBMaker;

/** Opens the MapDB file of a store, waiting for another process's lock, with errors a user can act on. */
final class MapDbFile {

    private MapDbFile() {}

    /** The data file kept beside the MapDB file {@code file}. */
    static Path dataFileOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".data");
    }

    /**
     * The absolute path of a store file given by a user, checked to be usable as one.
     *
     * @throws IllegalArgumentException if {@code lockWait} is negative or {@code file} is a directory
     */
    static Path location(Path file, Duration lockWait) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(lockWait, "lockWait");
        if (lockWait.isNegative()) {
            throw new IllegalArgumentException("lockWait must not be negative, was " + lockWait);
        }
        Path absolute = file.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new IllegalArgumentException("MapDB store location " + absolute
                    + " is a directory; give a file path such as " + absolute.resolve("cache.db"));
        }
        return absolute;
    }

    /**
     * Opens (or creates) {@code file} with transactions on, waiting up to {@code lockWait} while
     * another process holds it.
     *
     * @throws RangeStreamException if it is still locked after {@code lockWait}, or cannot be read
     */
    static DB open(Path file, Duration lockWait) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        try {
            // No mmap: writing a mapped page of a full disk kills the access with SIGBUS, while
            // channel writes fail with an IOException the store reports and recovers from.
            return DBMaker.fileDB(file.toFile())
                    .transactionEnable()
                    .fileChannelEnable()
                    .fileLockWait(lockWait.toMillis())
                    .make();
        } catch (DBException.FileLocked e) {
            throw new RangeStreamException("MapDB store file " + file + " is in use by another process (or another store of this one; waited "
                    + describe(lockWait) + ", the spec's lockWait); wait for it to finish, raise lockWait, give "
                    + "this one another file, or share one store between processes with the redis store", e);
        } catch (RuntimeException e) {
            // A damaged file fails in MapDB's own ways (DBException, IndexOutOfBounds, NegativeArraySize...).
            throw damaged(file, e);
        }
    }

    /** The error for a store file MapDB cannot read: what to do about it, in one line. */
    static RangeStreamException damaged(Path file, RuntimeException cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new RangeStreamException("MapDB store file " + file + " is damaged and cannot be opened ("
                + reason.lines().findFirst().orElse("") + "); it only caches fetched bytes: delete it and "
                + dataFileOf(file).getFileName() + " beside it to start empty, or give another file", cause);
    }

    /** {@code 10 s}, {@code 500 ms}. */
    static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
