package io.rangestreams.storage.mapdb;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.spi.ResourceVersion;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.Serializer;
import org.mapdb.serializer.SerializerArrayTuple;

/**
 * The store's index: the MapDB collections {@code keys} and {@code pieces}, and their mirror in memory
 * (resources, pieces, recency), changed together so they agree. Changes are not committed here; the
 * store commits them. Not thread-safe: the store's write lock guards changes, its read lock lookups;
 * recency has its own monitor, since reads touch it.
 */
final class PieceIndex {

    private static final System.Logger LOG = System.getLogger(PieceIndex.class.getName());
    private static final String PREFIX = "rangestreams.";

    private final DB db;
    private final DataFile data;
    private final String description;
    private final BTreeMap<String, byte[]> keys;
    private final BTreeMap<Object[], long[]> pieces;

    private final Map<String, HeldResource> resources = new HashMap<>();
    // Every piece, least recently used first.
    private final LinkedHashMap<Piece, Boolean> lru = new LinkedHashMap<>(16, 0.75f, true);
    private long held;
    private long nextId;
    private long nextSequence;

    PieceIndex(DB db, DataFile data, String description) {
        this.db = db;
        this.data = data;
        this.description = description;
        this.keys = db.treeMap(PREFIX + "keys", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        this.pieces = db.treeMap(PREFIX + "pieces", pieceKey(), Serializer.LONG_ARRAY).createOrOpen();
        dropEarlierLayout();
    }

    private static SerializerArrayTuple pieceKey() {
        return new SerializerArrayTuple(Serializer.LONG, Serializer.LONG);
    }

    /** Bytes held over all resources. */
    long held() {
        return held;
    }

    Optional<HeldResource> resource(String key) {
        return Optional.ofNullable(resources.get(key));
    }

    /**
     * Records {@code version} for {@code key}, dropping the bytes of another version first.
     *
     * @return the bytes dropped
     */
    long bind(String key, ResourceVersion version) {
        HeldResource r = resources.get(key);
        long dropped = 0;
        if (r == null) {
            r = new HeldResource(key, nextId++, version);
            resources.put(key, r);
        } else {
            dropped = dropPieces(r);
            r.version = version;
        }
        keys.put(key, KeyRecord.encode(r.id, version));
        return dropped;
    }

    /** Adds a piece written to the data file at {@code place}. */
    void add(HeldResource r, long start, int length, long[] place) {
        Piece p = new Piece(r, start, length, place);
        pieces.put(p.indexKey(), p.indexValue(nextSequence++));
        r.pieces.put(start, p);
        r.ranges = r.ranges.union(Range.of(start, p.stop()));
        synchronized (lru) {
            lru.put(p, Boolean.TRUE);
        }
        held += length;
    }

    /**
     * What {@link #read} copied, and the piece that failed its checksum, if one did.
     *
     * @param bytes the bytes copied
     * @param damaged the piece whose bytes failed their checksum, which ended the read
     */
    record Copied(int bytes, Optional<Piece> damaged) {}

    /**
     * Copies the held bytes of {@code r} from {@code position} into {@code dst}, piece by piece, until a gap,
     * the end of {@code dst}, or a piece that fails its checksum; marks each piece read whole as just used.
     */
    Copied read(HeldResource r, long position, ByteBuffer dst) throws IOException {
        int copied = 0;
        long pos = position;
        while (dst.hasRemaining()) {
            Map.Entry<Long, Piece> floor = r.pieces.floorEntry(pos);
            if (floor == null || floor.getValue().stop() <= pos) {
                break;
            }
            Piece p = floor.getValue();
            DataFile.Read read = data.read(p.place, p.length, (int) (pos - p.start), dst);
            copied += read.copied();
            pos += read.copied();
            if (read.damaged()) {
                return new Copied(copied, Optional.of(p));
            }
            touch(p);
        }
        return new Copied(copied, Optional.empty());
    }

    /** Marks a piece as just used. */
    void touch(Piece p) {
        synchronized (lru) {
            lru.get(p);
        }
    }

    /**
     * Evicts least recently used pieces until {@code needed} more bytes fit under {@code maxBytes}.
     *
     * @return the bytes evicted
     */
    long evictFor(long needed, long maxBytes) {
        long evicted = 0;
        while (held + needed > maxBytes) {
            Piece victim;
            synchronized (lru) {
                Iterator<Piece> it = lru.keySet().iterator();
                if (!it.hasNext()) {
                    break;
                }
                victim = it.next();
            }
            remove(victim);
            evicted += victim.length;
        }
        return evicted;
    }

    /**
     * Removes one piece, if it is still held.
     *
     * @return whether it was
     */
    boolean remove(Piece p) {
        if (p.owner.pieces.get(p.start) != p || resources.get(p.owner.key) != p.owner) {
            return false;
        }
        p.owner.ranges = p.owner.ranges.minus(Range.of(p.start, p.stop()));
        p.owner.pieces.remove(p.start);
        synchronized (lru) {
            lru.remove(p);
        }
        pieces.remove(p.indexKey());
        data.free(p.offset(), p.length);
        held -= p.length;
        return true;
    }

    /**
     * Drops a key's version and bytes.
     *
     * @return the bytes dropped
     */
    long removeResource(String key) {
        HeldResource r = resources.get(key);
        if (r == null) {
            return 0;
        }
        long dropped = dropPieces(r);
        resources.remove(key);
        keys.remove(key);
        return dropped;
    }

    private long dropPieces(HeldResource r) {
        long dropped = 0;
        for (Piece p : List.copyOf(r.pieces.values())) {
            remove(p);
            dropped += p.length;
        }
        return dropped;
    }

    /** Forgets the mirror (at close). */
    void clear() {
        resources.clear();
        synchronized (lru) {
            lru.clear();
        }
    }

    /**
     * Rebuilds the mirror from the collections and tells the data file which space is in use. Pieces
     * whose entry is malformed, whose key is gone or whose space another piece already uses are
     * dropped; then the store is evicted down to {@code maxBytes}.
     */
    void load(long maxBytes) throws IOException {
        clear();
        held = 0;
        nextId = 0;
        nextSequence = 0;
        Map<Long, HeldResource> byId = new HashMap<>();
        for (Map.Entry<String, byte[]> kv : keys.entrySet()) {
            HeldResource r = KeyRecord.decode(kv.getKey(), kv.getValue());
            resources.put(r.key, r);
            byId.put(r.id, r);
            nextId = Math.max(nextId, r.id + 1);
        }
        List<Piece> all = new ArrayList<>();
        Map<Piece, Long> sequence = new HashMap<>();
        List<Object[]> invalid = new ArrayList<>();
        for (Map.Entry<Object[], long[]> kv : pieces.entrySet()) {
            long[] v = kv.getValue();
            HeldResource owner = byId.get((Long) kv.getKey()[0]);
            long start = (Long) kv.getKey()[1];
            if (owner == null || !wellFormed(start, v)) {
                invalid.add(kv.getKey());
                continue;
            }
            Piece p = new Piece(owner, start, (int) v[0], Arrays.copyOfRange(v, 2, v.length));
            all.add(p);
            sequence.put(p, v[1]);
        }
        all.sort(Comparator.comparingLong(Piece::offset));
        List<long[]> used = new ArrayList<>();
        long end = 0;
        for (Piece p : all) {
            Map.Entry<Long, Piece> before = p.owner.pieces.floorEntry(p.start);
            Map.Entry<Long, Piece> after = p.owner.pieces.ceilingEntry(p.start);
            if (p.offset() < end || before != null && before.getValue().stop() > p.start
                    || after != null && after.getKey() < p.stop()) {
                invalid.add(p.indexKey()); // overlaps another piece: a damaged entry
                continue;
            }
            end = p.offset() + FreeSpace.footprint(p.length);
            p.owner.pieces.put(p.start, p);
            used.add(new long[] {p.offset(), p.length});
            nextSequence = Math.max(nextSequence, sequence.get(p) + 1);
            held += p.length;
        }
        if (!invalid.isEmpty()) {
            LOG.log(Level.WARNING, "MapDB {0}: {1} damaged index entries dropped; their bytes will be fetched again",
                    description, invalid.size());
            invalid.forEach(pieces::remove);
        }
        data.reset(used);
        List<Piece> kept = new ArrayList<>();
        for (HeldResource r : resources.values()) {
            r.ranges = RangeSet.ofAll(r.pieces.values().stream().map(p -> Range.of(p.start, p.stop())).toList());
            kept.addAll(r.pieces.values());
        }
        kept.sort(Comparator.comparingLong(sequence::get));
        synchronized (lru) {
            for (Piece p : kept) {
                lru.put(p, Boolean.TRUE);
            }
        }
        if (held > maxBytes) {
            LOG.log(Level.DEBUG, "MapDB {0} holds {1} bytes, over its limit of {2}; evicting", description, held,
                    maxBytes);
            evictFor(0, maxBytes);
        }
    }

    private static boolean wellFormed(long start, long[] v) {
        return v.length >= 3 && v[0] > 0 && v[0] <= MapDbRangeStore.MAX_PIECE && start >= 0
                && v.length == 3 + Piece.blocks((int) v[0]) && v[2] >= 0 && v[2] % FreeSpace.UNIT == 0;
    }

    /** Drops the collection of the layout that kept bytes in MapDB records, with its records. */
    private void dropEarlierLayout() {
        String name = PREFIX + "index";
        if (!db.exists(name)) {
            return;
        }
        BTreeMap<Object[], long[]> old = db.treeMap(name, pieceKey(), Serializer.LONG_ARRAY).open();
        for (long[] v : old.values()) {
            for (int i = 2; i < v.length; i++) {
                db.getStore().delete(v[i], Serializer.BYTE_ARRAY_NOSIZE);
            }
        }
        old.clear();
        LOG.log(Level.INFO, "MapDB {0}: bytes of an earlier layout dropped; they will be fetched again", description);
    }
}
