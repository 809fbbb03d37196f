package io.rangestreams.storage.memory;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.spi.ChunkAdoption;
import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.ResourceVersion;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link RangeStore} in the heap, optionally bounded: when a write would exceed {@code maxBytes},
 * whole written pieces are evicted, least recently used first, and {@link #ranges} is updated before
 * their bytes are released.
 *
 * <p>Thread-safe: one lock guards every change and every copy in; a read finds its pieces under it
 * and copies after (an evicted piece's array is only reused once the piece is marked, and a read
 * checks the marks after copying). {@link #ranges} takes no
 * lock: it reads the key's current set, which is replaced whole (never changed in place) and updated
 * before evicted bytes are released, so a reader that then finds bytes gone only saw the set from
 * just before an eviction (the engine fetches such bytes again). A reader polls it several times per
 * read while a fetch writes: without the lock they do not queue behind each other.
 */
public final class MemoryRangeStore implements RangeStore, ChunkAdoption {

    private static final long SPARE_LIMIT = 16L * 1024 * 1024;

    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Entry> entries = new ConcurrentHashMap<>(); // changed under the lock only
    // Every piece of every key, least recently used first.
    private final LinkedHashMap<Piece, Boolean> lru = new LinkedHashMap<>(16, 0.75f, true);
    private long held;
    private volatile boolean closed;
    // Arrays of evicted pieces, by length, reused for new pieces: a bounded store read through once
    // (a sequential download) then allocates nothing per piece and the collector copies nothing.
    private final Map<Integer, ArrayDeque<byte[]>> spare = new HashMap<>();
    private long spareBytes;

    private static final class Entry {
        ResourceVersion version;
        final TreeMap<Long, Piece> pieces = new TreeMap<>();
        volatile RangeSet ranges = RangeSet.EMPTY; // replaced whole, under the lock
    }

    /** Bytes written at {@code start}; equal only to itself. */
    private static final class Piece {
        private final String key;
        private final long start;
        private final byte[] bytes;
        // Set when the piece is evicted or dropped, before its array can be reused: bytes copied
        // from it before this is seen set are the piece's own, of the version it was written for.
        private volatile boolean gone;

        Piece(String key, long start, byte[] bytes) {
            this.key = key;
            this.start = start;
            this.bytes = bytes;
        }

        String key() {
            return key;
        }

        long start() {
            return start;
        }

        byte[] bytes() {
            return bytes;
        }

        long stop() {
            return start + bytes.length;
        }
    }

    /** An unbounded store. */
    public MemoryRangeStore() {
        this(Long.MAX_VALUE);
    }

    /**
     * A store holding at most {@code maxBytes}.
     *
     * @throws IllegalArgumentException if {@code maxBytes} is not positive
     */
    public MemoryRangeStore(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Set<Capability> capabilities() {
        return maxBytes == Long.MAX_VALUE ? Set.of() : EnumSet.of(Capability.BOUNDED);
    }

    /** The most bytes this store holds ({@link Long#MAX_VALUE} when unbounded). */
    @Override
    public long maxBytes() {
        return maxBytes;
    }

    /** The bytes held now, over all keys. */
    public long heldBytes() {
        lock.lock();
        try {
            return held;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<ResourceVersion> version(String key) {
        lock.lock();
        try {
            requireOpen();
            Entry e = entries.get(key);
            return e == null ? Optional.empty() : Optional.ofNullable(e.version);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean bind(String key, ResourceVersion version) {
        Objects.requireNonNull(version, "version");
        lock.lock();
        try {
            requireOpen();
            Entry e = entries.computeIfAbsent(Objects.requireNonNull(key, "key"), k -> new Entry());
            boolean drop = e.version != null && !e.version.isSameVersion(version);
            if (drop) {
                dropPieces(e);
            }
            if (e.version == null || drop) {
                e.version = version;
            }
            return drop;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public RangeSet ranges(String key) {
        requireOpen();
        Entry e = entries.get(Objects.requireNonNull(key, "key"));
        return e == null ? RangeSet.EMPTY : e.ranges;
    }

    @Override
    public boolean write(String key, ResourceVersion version, long position, ByteBuffer src) {
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative, was " + position);
        }
        lock.lock();
        try {
            requireOpen();
            return writeLocked(key, version, position, src);
        } finally {
            lock.unlock();
        }
    }

    /** An array of evicted bytes when one of this size is spare (so it is reused, not garbage). */
    @Override
    public byte[] newChunk(int size) {
        lock.lock();
        try {
            requireOpen();
            return allocate(size);
        } finally {
            lock.unlock();
        }
    }

    /** Keeps {@code bytes} itself as the piece when it is exactly the new bytes; else copies them. */
    @Override
    public boolean writeOwned(String key, ResourceVersion version, long position, byte[] bytes, int length) {
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative, was " + position);
        }
        Objects.checkFromIndexSize(0, length, bytes.length);
        lock.lock();
        try {
            requireOpen();
            Entry e = entries.get(key);
            Range written = Range.of(position, position + length);
            if (length == 0 || length != bytes.length || length > maxBytes || e == null || e.version == null
                    || !e.version.isSameVersion(version) || !e.ranges.intersect(written).isEmpty()) {
                boolean stored = writeLocked(key, version, position, ByteBuffer.wrap(bytes, 0, length));
                recycle(bytes);
                return stored;
            }
            evictFor(length);
            addPiece(e, new Piece(key, position, bytes));
            return true;
        } finally {
            lock.unlock();
        }
    }

    // Callers hold the lock.
    private boolean writeLocked(String key, ResourceVersion version, long position, ByteBuffer src) {
        Entry e = entries.get(key);
        if (e == null || e.version == null || !e.version.isSameVersion(version)) {
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
        for (Range gap : e.ranges.gaps(written)) {
            int len = (int) gap.length();
            evictFor(len);
            byte[] bytes = allocate(len);
            ByteBuffer from = src.duplicate();
            from.position(src.position() + (int) (gap.start() - position));
            from.get(bytes);
            addPiece(e, new Piece(key, gap.start(), bytes));
        }
        src.position(src.limit());
        return true;
    }

    // Callers hold the lock.
    private void addPiece(Entry e, Piece p) {
        e.pieces.put(p.start(), p);
        lru.put(p, Boolean.TRUE);
        held += p.bytes().length;
        e.ranges = e.ranges.union(Range.of(p.start(), p.stop()));
    }

    /**
     * Finds the pieces under the lock and copies outside it, so a fetch storing its next chunk does
     * not wait for a reader's copy. A piece evicted meanwhile may have had its array reused: the copy
     * then ends before it (a short read; the engine fetches the rest again).
     */
    @Override
    public int read(String key, long position, ByteBuffer dst) {
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative, was " + position);
        }
        List<Piece> found = new ArrayList<>(2);
        lock.lock();
        try {
            requireOpen();
            Entry e = entries.get(key);
            if (e == null) {
                return 0;
            }
            long pos = position;
            long end = position + dst.remaining();
            while (pos < end) {
                Map.Entry<Long, Piece> floor = e.pieces.floorEntry(pos);
                if (floor == null || floor.getValue().stop() <= pos) {
                    break;
                }
                Piece p = floor.getValue();
                lru.get(p);
                found.add(p);
                pos = p.stop();
            }
        } finally {
            lock.unlock();
        }
        int start = dst.position();
        int copied = 0;
        for (Piece p : found) {
            int from = (int) (position + copied - p.start());
            int n = Math.min(p.bytes().length - from, dst.remaining());
            dst.put(p.bytes(), from, n);
            VarHandle.acquireFence(); // the copy is read before the flag
            if (p.gone) {
                break; // its array may hold another piece's bytes by now
            }
            copied += n;
        }
        dst.position(start + copied);
        return copied;
    }

    @Override
    public void remove(String key) {
        lock.lock();
        try {
            requireOpen();
            Entry e = entries.remove(key);
            if (e != null) {
                dropPieces(e);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            entries.clear();
            lru.clear();
            spare.clear();
            spareBytes = 0;
            held = 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "MemoryRangeStore{maxBytes=" + (maxBytes == Long.MAX_VALUE ? "unbounded" : maxBytes) + "}";
    }

    // Callers hold the lock.
    private void evictFor(long needed) {
        Iterator<Piece> it = lru.keySet().iterator();
        while (held + needed > maxBytes && it.hasNext()) {
            Piece victim = it.next();
            it.remove();
            Entry owner = entries.get(victim.key());
            // ranges() first, then the bytes: no moment claims bytes that are gone.
            owner.ranges = owner.ranges.minus(Range.of(victim.start(), victim.stop()));
            owner.pieces.remove(victim.start());
            held -= victim.bytes().length;
            victim.gone = true; // before the array can be handed out again
            recycle(victim.bytes());
        }
    }

    // Callers hold the lock. Spares are capped at a quarter of the limit (and 16 MiB).
    private void recycle(byte[] bytes) {
        if (spareBytes + bytes.length <= Math.min(maxBytes / 4, SPARE_LIMIT)) {
            spare.computeIfAbsent(bytes.length, n -> new ArrayDeque<>()).push(bytes);
            spareBytes += bytes.length;
        }
    }

    private byte[] allocate(int length) {
        ArrayDeque<byte[]> free = spare.get(length);
        if (free != null && !free.isEmpty()) {
            spareBytes -= length;
            return free.pop();
        }
        return new byte[length];
    }

    private void dropPieces(Entry e) {
        e.ranges = RangeSet.EMPTY; // first, as in evictFor
        for (Piece p : e.pieces.values()) {
            p.gone = true; // a read copying it now ends short: no bytes of a dropped version after the drop
            lru.remove(p);
            held -= p.bytes().length;
        }
        e.pieces.clear();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("memory store is closed");
        }
    }
}
