package com.example.certify;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.ResourceVersion;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A trivial third-party store: per key, a growing array and a bit per byte held. */
public final class ArrayRangeStore implements RangeStore {

    private static final class Entry {
        ResourceVersion version;
        byte[] bytes = new byte[0];
        final BitSet held = new BitSet();
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private boolean closed;

    @Override
    public String name() {
        return "array";
    }

    @Override
    public synchronized Optional<ResourceVersion> version(String key) {
        open();
        Entry e = entries.get(key);
        return e == null ? Optional.empty() : Optional.ofNullable(e.version);
    }

    @Override
    public synchronized boolean bind(String key, ResourceVersion version) {
        open();
        Entry e = entries.computeIfAbsent(key, k -> new Entry());
        boolean drop = e.version != null && !e.version.isSameVersion(version);
        if (drop) {
            e.held.clear();
            e.bytes = new byte[0];
        }
        if (e.version == null || drop) {
            e.version = version;
        }
        return drop;
    }

    @Override
    public synchronized RangeSet ranges(String key) {
        open();
        Entry e = entries.get(key);
        RangeSet out = RangeSet.EMPTY;
        if (e != null) {
            for (int i = e.held.nextSetBit(0); i >= 0; i = e.held.nextSetBit(e.held.nextClearBit(i))) {
                out = out.union(Range.of(i, e.held.nextClearBit(i)));
            }
        }
        return out;
    }

    @Override
    public synchronized boolean write(String key, ResourceVersion version, long position, ByteBuffer src) {
        open();
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative, was " + position);
        }
        Entry e = entries.get(key);
        if (e == null || e.version == null || !e.version.isSameVersion(version)) {
            return false;
        }
        int n = src.remaining();
        int end = Math.toIntExact(position + n);
        if (e.bytes.length < end) {
            e.bytes = Arrays.copyOf(e.bytes, Math.max(end, e.bytes.length * 2));
        }
        src.get(e.bytes, (int) position, n);
        e.held.set((int) position, end);
        return true;
    }

    @Override
    public synchronized int read(String key, long position, ByteBuffer dst) {
        open();
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative, was " + position);
        }
        Entry e = entries.get(key);
        if (e == null || position > Integer.MAX_VALUE || !e.held.get((int) position)) {
            return 0;
        }
        int n = Math.min(dst.remaining(), e.held.nextClearBit((int) position) - (int) position);
        dst.put(e.bytes, (int) position, n);
        return n;
    }

    @Override
    public synchronized void remove(String key) {
        open();
        entries.remove(key);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("array store is closed");
        }
    }
}
