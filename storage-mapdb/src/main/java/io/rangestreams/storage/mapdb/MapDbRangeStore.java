package io.rangestreams.storage.mapdb;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.RangeStreamException;
import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.ResourceVersion;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.mapdb.DB;
import org.mapdb.DBException;

/**
 * A {@link RangeStore} in a MapDB file: fetched bytes survive the process, so a later run reads them
 * without the network.
 *
 * <p>Layout: the MapDB file holds the index, in two collections prefixed {@code rangestreams.} (so they
 * can share a caller's database): {@code keys} maps each resource key to a numeric id and its
 * {@link ResourceVersion}; {@code pieces} maps {@code (id, start)} of each written piece (at most
 * {@value #MAX_PIECE} bytes) to its length, write sequence, place in the data file and checksums. The
 * bytes are in a plain data file beside it ({@code FILE.data}), where they are written once.
 * {@link #ranges} is the union of the indexed pieces, so it cannot disagree with the bytes.
 *
 * <p>Crash safety: changes are group-committed: in the background once 256 MiB have gathered (a
 * writer waits for the commit once twice that is pending, so a slow disk holds writers back), every
 * five seconds while any are pending, and at {@link #close}. A commit first syncs the data file, then
 * commits the index in a MapDB transaction, and space freed by a change is reused only once that
 * change is committed. A process killed at any moment leaves the last commit, in which every byte
 * {@link #ranges} claims is held; it loses only what was written since, which is fetched again.
 *
 * <p>Integrity: every {@value DataFile#BLOCK} bytes of a piece carry a CRC32C, checked on every read.
 * A piece that fails is dropped (from {@link #ranges} too) and logged as a warning, so the engine
 * fetches it again: a damaged file heals and never returns wrong bytes.
 *
 * <p>Bounded: with {@code maxBytes}, a write evicts whole pieces, least recently used first, before
 * it adds its own. Recency is tracked in memory; across a reopen, pieces are ordered by when they were
 * written.
 *
 * <p>Thread-safe: reads run in parallel; changes take an exclusive lock.
 */
public final class MapDbRangeStore implements RangeStore {

    /** The largest piece; longer writes are split. */
    static final int MAX_PIECE = 1 << 20;

    /** How long {@link #open(Path, long)} waits for another process to close the file. */
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(10);

    private static final System.Logger LOG = System.getLogger(MapDbRangeStore.class.getName());

    private final IndexDatabase database;
    private final String description;
    private final long maxBytes;
    private final boolean persistent;
    private final DataFile data;
    private final IndexRecovery recovery;
    private final Commits commits;

    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    private final Lock readLock = rw.readLock();
    private final Lock writeLock = rw.writeLock();

    private volatile boolean closed;

    /**
     * A store in the caller's own database, unbounded, keeping the bytes in {@code dataFile}. The caller
     * keeps ownership of the database: {@link #close()} commits and leaves it open. Use a database made
     * with {@code transactionEnable()} for crash safety.
     *
     * @throws RangeStreamException if the collections cannot be opened or the data file is in use
     */
    public MapDbRangeStore(DB db, Path dataFile) throws IOException {
        this(db, dataFile, Long.MAX_VALUE);
    }

    /**
     * A store in the caller's own database holding at most {@code maxBytes}, keeping the bytes in
     * {@code dataFile}. The caller keeps ownership of the database: {@link #close()} commits and leaves
     * it open.
     *
     * @throws IllegalArgumentException if {@code maxBytes} is not positive
     * @throws RangeStreamException if the collections cannot be opened or the data file is in use
     */
    public MapDbRangeStore(DB db, Path dataFile, long maxBytes) throws IOException {
        this(IndexDatabase.callers(Objects.requireNonNull(db, "db")), Objects.requireNonNull(dataFile, "dataFile"),
                maxBytes, GroupCommit.DEFAULT);
    }

    private MapDbRangeStore(IndexDatabase database, Path dataFile, long maxBytes, GroupCommit policy)
            throws IOException {
        requirePositive(maxBytes);
        this.database = database;
        this.description = database.description();
        this.maxBytes = maxBytes;
        this.persistent = database.isFile();
        this.data = DataFile.open(dataFile.toAbsolutePath());
        try {
            PieceIndex index = new PieceIndex(database.db(), data, description);
            index.load(maxBytes);
            this.recovery = new IndexRecovery(database, data, description, maxBytes, index);
            database.commit();
            data.committed();
        } catch (IllegalArgumentException | NullPointerException e) {
            data.close();
            throw e;
        } catch (RuntimeException e) {
            // A damaged file fails in MapDB's own ways (DBException, IndexOutOfBounds, ClassCast...).
            data.close();
            throw database.damaged(e);
        } catch (IOException e) {
            data.close();
            throw e;
        }
        this.commits = new Commits(policy, maxBytes, writeLock, database, data, recovery);
        recovery.attach(commits);
    }

    /**
     * Opens (or creates) the store file at {@code file}, and its data file {@code file.data}, waiting up
     * to {@link #DEFAULT_LOCK_WAIT} for another process that has it open.
     *
     * @param maxBytes the most bytes to hold, or {@link Long#MAX_VALUE} for no limit
     * @throws IllegalArgumentException if {@code maxBytes} is not positive or {@code file} is a directory
     * @throws RangeStreamException naming the file if it stays in use by another process or is damaged
     */
    public static MapDbRangeStore open(Path file, long maxBytes) throws IOException {
        return open(file, maxBytes, DEFAULT_LOCK_WAIT);
    }

    /**
     * Opens (or creates) the store file at {@code file}, and its data file {@code file.data}, waiting up
     * to {@code lockWait} for another process that has it open. The store owns the database and closes
     * it on {@link #close()}.
     *
     * @param maxBytes the most bytes to hold, or {@link Long#MAX_VALUE} for no limit
     * @param lockWait how long to wait for another process to close the file; zero to fail at once
     * @throws IllegalArgumentException if {@code maxBytes} is not positive, {@code lockWait} is negative
     *     or {@code file} is a directory
     * @throws RangeStreamException naming the file if it stays in use by another process or is damaged
     */
    public static MapDbRangeStore open(Path file, long maxBytes, Duration lockWait) throws IOException {
        return open(file, maxBytes, lockWait, GroupCommit.DEFAULT);
    }

    static MapDbRangeStore open(Path file, long maxBytes, Duration lockWait, GroupCommit policy) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(lockWait, "lockWait");
        requirePositive(maxBytes);
        Path absolute = MapDbFile.location(file, lockWait);
        DB db = MapDbFile.open(absolute, lockWait);
        try {
            return new MapDbRangeStore(IndexDatabase.owned(db, absolute), MapDbFile.dataFileOf(absolute), maxBytes,
                    policy);
        } catch (IOException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "mapdb";
    }

    /** {@code PERSISTENT} when the database is a file, {@code BOUNDED} when {@code maxBytes} was given. */
    @Override
    public Set<Capability> capabilities() {
        EnumSet<Capability> caps = EnumSet.noneOf(Capability.class);
        if (persistent) {
            caps.add(Capability.PERSISTENT);
        }
        if (maxBytes != Long.MAX_VALUE) {
            caps.add(Capability.BOUNDED);
        }
        return caps;
    }

    /** The most bytes this store holds ({@link Long#MAX_VALUE} when unbounded). */
    @Override
    public long maxBytes() {
        return maxBytes;
    }

    /** The bytes held now, over all keys. */
    public long heldBytes() {
        readLock.lock();
        try {
            return recovery.index().held();
        } finally {
            readLock.unlock();
        }
    }

    /** The length of the data file in use: the held bytes plus free space between pieces. */
    long dataFileEnd() {
        readLock.lock();
        try {
            return data.end();
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public Optional<ResourceVersion> version(String key) {
        Objects.requireNonNull(key, "key");
        readLock.lock();
        try {
            requireOpen();
            return recovery.index().resource(key).map(r -> r.version);
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public boolean bind(String key, ResourceVersion version) throws IOException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(version, "version");
        writeLock.lock();
        try {
            requireUsable();
            Optional<HeldResource> held = recovery.index().resource(key);
            if (held.isPresent() && held.get().version.isSameVersion(version)) {
                return false;
            }
            try {
                commits.changed(recovery.index().bind(key, version));
            } catch (DBException e) {
                throw failed("binding " + key + " to " + version, e);
            }
            return held.isPresent();
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public RangeSet ranges(String key) {
        Objects.requireNonNull(key, "key");
        readLock.lock();
        try {
            requireOpen();
            return recovery.index().resource(key).map(r -> r.ranges).orElse(RangeSet.EMPTY);
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public boolean write(String key, ResourceVersion version, long position, ByteBuffer src) throws IOException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(version, "version");
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative, was " + position);
        }
        long pending = 0;
        writeLock.lock();
        try {
            requireUsable();
            Optional<HeldResource> held = recovery.index().resource(key);
            if (held.isEmpty() || !held.get().version.isSameVersion(version)) {
                return false;
            }
            HeldResource r = held.get();
            int n = src.remaining();
            if (n == 0) {
                return true;
            }
            if (n > maxBytes) {
                return false;
            }
            Range written = Range.of(position, position + n);
            try {
                for (Range gap : r.ranges.gaps(written)) {
                    for (long start = gap.start(); start < gap.stop(); start += MAX_PIECE) {
                        int len = (int) Math.min(MAX_PIECE, gap.stop() - start);
                        commits.changed(recovery.index().evictFor(len, maxBytes));
                        ByteBuffer bytes = src.duplicate().position(src.position() + (int) (start - position));
                        recovery.index().add(r, start, len, data.write(bytes, len));
                        pending = commits.changed(len);
                    }
                }
            } catch (DBException e) {
                throw failed("writing " + written + " of " + key, e);
            }
            src.position(src.limit());
        } finally {
            writeLock.unlock();
        }
        commits.afterChange(pending);
        return true;
    }

    @Override
    public int read(String key, long position, ByteBuffer dst) throws IOException {
        Objects.requireNonNull(key, "key");
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative, was " + position);
        }
        PieceIndex.Copied copied;
        readLock.lock();
        try {
            requireOpen();
            Optional<HeldResource> held = recovery.index().resource(key);
            if (held.isEmpty()) {
                return 0;
            }
            copied = recovery.index().read(held.get(), position, dst);
        } finally {
            readLock.unlock();
        }
        copied.damaged().ifPresent(this::drop);
        return copied.bytes();
    }

    /** Drops a piece that failed its checksum, so it is fetched again. */
    private void drop(Piece p) {
        writeLock.lock();
        try {
            if (closed || recovery.broken() || !recovery.index().remove(p)) {
                return; // dropped by another reader, evicted or closed meanwhile
            }
            commits.changed(p.length);
        } catch (DBException e) {
            LOG.log(Level.WARNING, "dropping the damaged piece " + p + " from MapDB " + description + " failed", e);
            return;
        } finally {
            writeLock.unlock();
        }
        LOG.log(Level.WARNING, "MapDB store {0}: the bytes of {1} fail their checksum in {2}; dropped, they will "
                + "be fetched again", description, p, data.path());
    }

    @Override
    public void remove(String key) throws IOException {
        Objects.requireNonNull(key, "key");
        writeLock.lock();
        try {
            requireUsable();
            try {
                commits.changed(recovery.index().removeResource(key));
            } catch (DBException e) {
                throw failed("removing " + key, e);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Commits what is pending and closes the store; the database too, if the store opened it. */
    @Override
    public void close() throws IOException {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            commits.stop();
            try {
                commits.commitLocked();
            } finally {
                recovery.index().clear();
                try {
                    data.close();
                } finally {
                    database.close();
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "MapDbRangeStore{" + description + ", maxBytes=" + (maxBytes == Long.MAX_VALUE ? "unbounded" : maxBytes)
                + "}";
    }

    private RangeStreamException failed(String what, Exception cause) {
        return recovery.failed(what, cause);
    }

    /** Fails after close; opens the database again if a failure left it to be. Callers hold the write lock. */
    private void requireUsable() throws IOException {
        requireOpen();
        recovery.repairIfBroken();
    }

    private static void requirePositive(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("MapDB store (" + description + ") is closed");
        }
    }
}
