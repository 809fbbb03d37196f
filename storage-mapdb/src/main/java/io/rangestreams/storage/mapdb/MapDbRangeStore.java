package io.rangestreams.storage.mapdb;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.RangeStreamException;
import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.ResourceVersion;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBException;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;
import org.mapdb.Store;
import org.mapdb.StoreDirectAbstract;
import org.mapdb.serializer.SerializerArrayTuple;

/**
 * A {@link RangeStore} in one MapDB file: fetched bytes survive the process, so a later run reads
 * them without the network.
 *
 * <p>Layout, in two named MapDB collections (prefixed {@code rangestreams.}, so they can share a
 * caller's database) and plain MapDB records: {@code keys} maps each resource key to a numeric id and
 * its {@link ResourceVersion}; {@code index} maps {@code (id, start)} of each written piece (at most
 * {@value #MAX_PIECE} bytes) to its length, its write sequence and the record ids of its bytes, cut
 * into records of at most {@value #RECORD} bytes: MapDB reads a record that size straight from the
 * file, while larger ones are linked chains it reads several times slower. {@link #ranges} is the
 * union of the indexed pieces, so it cannot disagree with the bytes.
 *
 * <p>Crash safety: the file is opened with MapDB transactions, and every change (a bind, a write with
 * the evictions it needs, a removal) is one commit. A process killed at any moment leaves the last
 * commit, in which every byte {@link #ranges} claims is held.
 *
 * <p>Speed: the index and the ranges of every key are mirrored in memory when the store opens, so a
 * read looks up its pieces without scanning and fetches only their bytes from the file.
 *
 * <p>Bounded: with {@code maxBytes}, a write evicts whole pieces, least recently used first, in the
 * same commit as the write. Recency is tracked in memory; across a reopen, pieces are ordered by when
 * they were written.
 *
 * <p>Thread-safe: reads run in parallel; changes take an exclusive lock for their commit.
 */
public final class MapDbRangeStore implements RangeStore {

    /** The largest piece stored as one MapDB record; longer writes are split. */
    static final int MAX_PIECE = 1 << 20;

    /** The most bytes in one MapDB record: below MapDB's limit for a single, unlinked record. */
    static final int RECORD = 60 * 1024;

    private static final System.Logger LOG = System.getLogger(MapDbRangeStore.class.getName());
    private static final String PREFIX = "rangestreams.";
    private static final byte RECORD_FORMAT = 1;

    private final DB db;
    private final boolean ownsDb;
    private final String description;
    private final long maxBytes;
    private final boolean persistent;
    private final BTreeMap<String, byte[]> keys;
    private final BTreeMap<Object[], long[]> index;
    private final Store records;

    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    private final Lock readLock;
    private final Lock writeLock;

    // The in-memory mirror of keys and index; changed only under the write lock.
    private final Map<String, Entry> entries = new HashMap<>();
    // Every piece, least recently used first; guarded by its own monitor, since reads touch it.
    private final LinkedHashMap<Piece, Boolean> lru = new LinkedHashMap<>(16, 0.75f, true);
    private long held;
    private long nextId;
    private long nextSequence;
    private volatile boolean closed;

    private static final class Entry {
        final String key;
        final long id;
        ResourceVersion version;
        final TreeMap<Long, Piece> pieces = new TreeMap<>();
        volatile RangeSet ranges = RangeSet.EMPTY;

        Entry(String key, long id, ResourceVersion version) {
            this.key = key;
            this.id = id;
            this.version = version;
        }
    }

    /**
     * One stored piece: its bytes are in {@code recids}, {@value #RECORD} bytes each but the last.
     * Identity equality, so the LRU map holds each piece once.
     */
    private static final class Piece {
        final Entry owner;
        final long start;
        final int length;
        final long[] recids;

        Piece(Entry owner, long start, int length, long[] recids) {
            this.owner = owner;
            this.start = start;
            this.length = length;
            this.recids = recids;
        }

        /** The index value: length, write sequence, record ids. */
        long[] indexValue(long sequence) {
            long[] v = new long[2 + recids.length];
            v[0] = length;
            v[1] = sequence;
            System.arraycopy(recids, 0, v, 2, recids.length);
            return v;
        }

        long stop() {
            return start + length;
        }

        Object[] dbKey() {
            return new Object[] {owner.id, start};
        }
    }

    /**
     * A store in the caller's own database, unbounded. The caller keeps ownership: {@link #close()}
     * leaves the database open. Use a database made with {@code transactionEnable()} for crash
     * safety; the store commits after every change.
     *
     * @throws RangeStreamException if the database's collections cannot be opened
     */
    public MapDbRangeStore(DB db) throws IOException {
        this(db, Long.MAX_VALUE);
    }

    /**
     * A store in the caller's own database, holding at most {@code maxBytes}. The caller keeps
     * ownership: {@link #close()} leaves the database open.
     *
     * @throws IllegalArgumentException if {@code maxBytes} is not positive
     * @throws RangeStreamException if the database's collections cannot be opened
     */
    public MapDbRangeStore(DB db, long maxBytes) throws IOException {
        this(Objects.requireNonNull(db, "db"), false, describe(db), maxBytes);
    }

    private MapDbRangeStore(DB db, boolean ownsDb, String description, long maxBytes) throws IOException {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        this.db = db;
        this.ownsDb = ownsDb;
        this.description = description;
        this.maxBytes = maxBytes;
        this.persistent = db.getStore() instanceof StoreDirectAbstract s && s.getFile() != null
                && !s.getFileDeleteAfterClose();
        this.readLock = db.isThreadSafe() ? rw.readLock() : rw.writeLock();
        this.writeLock = rw.writeLock();
        try {
            SerializerArrayTuple pieceKey = new SerializerArrayTuple(Serializer.LONG, Serializer.LONG);
            this.keys = db.treeMap(PREFIX + "keys", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
            this.index = db.treeMap(PREFIX + "index", pieceKey, Serializer.LONG_ARRAY).createOrOpen();
            this.records = db.getStore();
            load();
            db.commit();
        } catch (DBException | IllegalStateException e) {
            throw new RangeStreamException("cannot open the range-streams collections of MapDB " + description + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Opens (or creates) the store file at {@code file} with transactions on, creating its parent
     * directories. The store owns the database and closes it on {@link #close()}.
     *
     * @param maxBytes the most bytes to hold, or {@link Long#MAX_VALUE} for no limit
     * @throws IllegalArgumentException if {@code maxBytes} is not positive or {@code file} is a directory
     * @throws RangeStreamException if the file is locked by another process or is not a readable store
     */
    public static MapDbRangeStore open(Path file, long maxBytes) throws IOException {
        Objects.requireNonNull(file, "file");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        Path absolute = file.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new IllegalArgumentException("MapDB store location " + absolute
                    + " is a directory; give a file path such as " + absolute.resolve("cache.db"));
        }
        if (absolute.getParent() != null) {
            Files.createDirectories(absolute.getParent());
        }
        DB db;
        try {
            // No fileMmapPreclearDisable(): with it, space a killed writer had used but not committed
            // kept its old bytes, and later runs read them as structure (MapDbCrashTest failed 2 of 9
            // runs: "Broken bit parity", a record of another piece's length; 0 of 18 without it).
            db = DBMaker.fileDB(absolute.toFile())
                    .transactionEnable()
                    .fileMmapEnableIfSupported()
                    .cleanerHackEnable()
                    .make();
        } catch (DBException.FileLocked e) {
            throw new RangeStreamException("MapDB store file " + absolute
                    + " is locked by another process (or already open in this one); close that user first or "
                    + "give this one another file", e);
        } catch (DBException e) {
            throw new RangeStreamException("cannot open MapDB store file " + absolute + ": " + e.getMessage(), e);
        }
        try {
            return new MapDbRangeStore(db, true, "file " + absolute, maxBytes);
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
            return held;
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
            Entry e = entries.get(key);
            return e == null ? Optional.empty() : Optional.of(e.version);
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
            requireOpen();
            Entry e = entries.get(key);
            if (e != null && e.version.isSameVersion(version)) {
                return false;
            }
            boolean dropped = e != null;
            try {
                if (e == null) {
                    e = new Entry(key, nextId++, version);
                    entries.put(key, e);
                } else {
                    dropPieces(e);
                    e.version = version;
                }
                keys.put(key, encode(e.id, version));
                db.commit();
            } catch (DBException ex) {
                throw failed("binding " + key + " to " + version, ex);
            }
            return dropped;
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
            Entry e = entries.get(key);
            return e == null ? RangeSet.EMPTY : e.ranges;
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
        writeLock.lock();
        try {
            requireOpen();
            Entry e = entries.get(key);
            if (e == null || !e.version.isSameVersion(version)) {
                return false;
            }
            int n = src.remaining();
            if (n == 0) {
                return true;
            }
            if (n > maxBytes) {
                return false;
            }
            Range written = Range.of(position, position + n);
            try {
                for (Range gap : e.ranges.gaps(written)) {
                    for (long start = gap.start(); start < gap.stop(); start += MAX_PIECE) {
                        int len = (int) Math.min(MAX_PIECE, gap.stop() - start);
                        evictFor(len);
                        long[] recids = new long[(len + RECORD - 1) / RECORD];
                        for (int i = 0; i < recids.length; i++) {
                            byte[] bytes = new byte[Math.min(RECORD, len - i * RECORD)];
                            src.get(src.position() + (int) (start - position) + i * RECORD, bytes);
                            recids[i] = records.put(bytes, Serializer.BYTE_ARRAY_NOSIZE);
                        }
                        Piece p = new Piece(e, start, len, recids);
                        index.put(p.dbKey(), p.indexValue(nextSequence++));
                        e.pieces.put(start, p);
                        synchronized (lru) {
                            lru.put(p, Boolean.TRUE);
                        }
                        held += len;
                    }
                    e.ranges = e.ranges.union(gap);
                }
                db.commit();
            } catch (DBException ex) {
                throw failed("writing " + written + " of " + key, ex);
            }
            src.position(src.limit());
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public int read(String key, long position, ByteBuffer dst) throws IOException {
        Objects.requireNonNull(key, "key");
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative, was " + position);
        }
        readLock.lock();
        try {
            requireOpen();
            Entry e = entries.get(key);
            if (e == null) {
                return 0;
            }
            int copied = 0;
            long pos = position;
            try {
                while (dst.hasRemaining()) {
                    Map.Entry<Long, Piece> floor = e.pieces.floorEntry(pos);
                    if (floor == null || floor.getValue().stop() <= pos) {
                        break;
                    }
                    Piece p = floor.getValue();
                    int offset = (int) (pos - p.start);
                    int record = offset / RECORD;
                    int recordLength = Math.min(RECORD, p.length - record * RECORD);
                    byte[] bytes = records.get(p.recids[record], Serializer.BYTE_ARRAY_NOSIZE);
                    if (bytes == null || bytes.length != recordLength) {
                        throw new RangeStreamException("MapDB " + description + " is inconsistent: record " + record
                                + " of the piece at " + p.start + " of " + key + " should hold " + recordLength
                                + " bytes, holds " + (bytes == null ? "none" : bytes.length));
                    }
                    synchronized (lru) {
                        lru.get(p);
                    }
                    int from = offset - record * RECORD;
                    int count = Math.min(recordLength - from, dst.remaining());
                    dst.put(bytes, from, count);
                    copied += count;
                    pos += count;
                }
            } catch (DBException ex) {
                throw new RangeStreamException("reading " + key + " at " + pos + " from MapDB " + description + ": "
                        + ex.getMessage(), ex);
            }
            return copied;
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public void remove(String key) throws IOException {
        Objects.requireNonNull(key, "key");
        writeLock.lock();
        try {
            requireOpen();
            Entry e = entries.get(key);
            if (e == null) {
                return;
            }
            try {
                dropPieces(e);
                entries.remove(key);
                keys.remove(key);
                db.commit();
            } catch (DBException ex) {
                throw failed("removing " + key, ex);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Closes the store; the database too, if the store opened it. Every change is already committed. */
    @Override
    public void close() throws IOException {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            entries.clear();
            synchronized (lru) {
                lru.clear();
            }
            if (ownsDb) {
                try {
                    db.close();
                } catch (DBException e) {
                    throw new RangeStreamException("closing MapDB " + description + ": " + e.getMessage(), e);
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

    // ---- changes; callers hold the write lock ----------------------------------------------------

    /** Evicts least recently used pieces until {@code needed} more bytes fit. */
    private void evictFor(long needed) {
        while (held + needed > maxBytes) {
            Piece victim;
            synchronized (lru) {
                Iterator<Piece> it = lru.keySet().iterator();
                if (!it.hasNext()) {
                    return;
                }
                victim = it.next();
                it.remove();
            }
            Entry owner = victim.owner;
            owner.ranges = owner.ranges.minus(Range.of(victim.start, victim.stop()));
            owner.pieces.remove(victim.start);
            delete(victim.dbKey(), victim.recids);
            held -= victim.length;
        }
    }

    private void dropPieces(Entry e) {
        e.ranges = RangeSet.EMPTY;
        for (Piece p : e.pieces.values()) {
            synchronized (lru) {
                lru.remove(p);
            }
            delete(p.dbKey(), p.recids);
            held -= p.length;
        }
        e.pieces.clear();
    }

    private void delete(Object[] indexKey, long[] recids) {
        index.remove(indexKey);
        for (long recid : recids) {
            records.delete(recid, Serializer.BYTE_ARRAY_NOSIZE);
        }
    }

    /**
     * A change failed inside MapDB: undo what it did (when the database supports it) and rebuild the
     * in-memory mirror from what is committed, so memory and file agree again.
     */
    private RangeStreamException failed(String what, DBException cause) {
        try {
            db.rollback();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
        try {
            load();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
        return new RangeStreamException(what + " in MapDB " + description + " failed: " + cause.getMessage(), cause);
    }

    /** Rebuilds the in-memory mirror from the collections; evicts down to {@code maxBytes} if needed. */
    private void load() {
        entries.clear();
        held = 0;
        nextId = 0;
        nextSequence = 0;
        Map<Long, Entry> byId = new HashMap<>();
        for (Map.Entry<String, byte[]> kv : keys.entrySet()) {
            Entry e = decode(kv.getKey(), kv.getValue());
            entries.put(e.key, e);
            byId.put(e.id, e);
            nextId = Math.max(nextId, e.id + 1);
        }
        List<Piece> all = new ArrayList<>();
        Map<Piece, Long> sequence = new HashMap<>();
        Map<Object[], long[]> orphans = new HashMap<>();
        for (Map.Entry<Object[], long[]> kv : index.entrySet()) {
            long id = (Long) kv.getKey()[0];
            long start = (Long) kv.getKey()[1];
            long[] value = kv.getValue();
            long[] recids = Arrays.copyOfRange(value, 2, value.length);
            Entry owner = byId.get(id);
            if (owner == null) {
                orphans.put(kv.getKey(), recids);
                continue;
            }
            Piece p = new Piece(owner, start, (int) value[0], recids);
            owner.pieces.put(start, p);
            all.add(p);
            sequence.put(p, kv.getValue()[1]);
            nextSequence = Math.max(nextSequence, kv.getValue()[1] + 1);
            held += p.length;
        }
        orphans.forEach(this::delete);
        for (Entry e : entries.values()) {
            e.ranges = RangeSet.ofAll(e.pieces.values().stream().map(p -> Range.of(p.start, p.stop())).toList());
        }
        all.sort(Comparator.comparingLong(sequence::get));
        synchronized (lru) {
            lru.clear();
            for (Piece p : all) {
                lru.put(p, Boolean.TRUE);
            }
        }
        if (held > maxBytes) {
            LOG.log(Level.DEBUG, "MapDB {0} holds {1} bytes, over its limit of {2}; evicting", description, held,
                    maxBytes);
            evictFor(0);
        }
    }

    private static byte[] encode(long id, ResourceVersion v) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(RECORD_FORMAT);
            out.writeLong(id);
            out.writeLong(v.length());
            writeOptional(out, v.etag());
            writeOptional(out, v.lastModified());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen in memory
        }
        return bytes.toByteArray();
    }

    private Entry decode(String key, byte[] record) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record))) {
            byte format = in.readByte();
            if (format != RECORD_FORMAT) {
                throw new IllegalStateException("MapDB " + description + " holds key " + key + " in record format "
                        + format + "; this version reads format " + RECORD_FORMAT);
            }
            long id = in.readLong();
            long length = in.readLong();
            Optional<String> etag = readOptional(in);
            Optional<String> lastModified = readOptional(in);
            return new Entry(key, id, new ResourceVersion(length, etag, lastModified));
        } catch (IOException e) {
            throw new IllegalStateException("MapDB " + description + " holds a truncated record for key " + key, e);
        }
    }

    private static void writeOptional(DataOutputStream out, Optional<String> value) throws IOException {
        out.writeBoolean(value.isPresent());
        if (value.isPresent()) {
            out.writeUTF(value.get());
        }
    }

    private static Optional<String> readOptional(DataInputStream in) throws IOException {
        return in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
    }

    private static String describe(DB db) {
        if (db.getStore() instanceof StoreDirectAbstract s && s.getFile() != null) {
            return "file " + s.getFile();
        }
        return "in-memory database";
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("MapDB store (" + description + ") is closed");
        }
    }
}
