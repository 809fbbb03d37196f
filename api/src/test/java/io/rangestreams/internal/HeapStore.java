package io.rangestreams.internal;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.ResourceVersion;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The simplest correct store, for the engine's own tests (api may not depend on the store modules). */
final class HeapStore implements RangeStore {

    private final Map<String, ResourceVersion> versions = new HashMap<>();
    private final Map<String, RangeSet> held = new HashMap<>();
    private final Map<String, byte[]> bytes = new HashMap<>();

    @Override
    public String name() {
        return "heap";
    }

    @Override
    public synchronized Optional<ResourceVersion> version(String key) {
        return Optional.ofNullable(versions.get(key));
    }

    @Override
    public synchronized boolean bind(String key, ResourceVersion version) {
        ResourceVersion old = versions.put(key, version);
        if (old != null && !old.isSameVersion(version)) {
            held.remove(key);
            bytes.remove(key);
            return true;
        }
        return false;
    }

    @Override
    public synchronized RangeSet ranges(String key) {
        return held.getOrDefault(key, RangeSet.EMPTY);
    }

    @Override
    public synchronized boolean write(String key, ResourceVersion version, long position, ByteBuffer src) {
        ResourceVersion bound = versions.get(key);
        if (bound == null || !bound.isSameVersion(version)) {
            return false;
        }
        int n = src.remaining();
        byte[] b = bytes.computeIfAbsent(key, k -> new byte[(int) bound.length()]);
        src.get(b, (int) position, n);
        held.put(key, ranges(key).union(Range.of(position, position + n)));
        return true;
    }

    @Override
    public synchronized int read(String key, long position, ByteBuffer dst) {
        Optional<Range> run = ranges(key).rangeContaining(position);
        if (run.isEmpty()) {
            return 0;
        }
        int n = (int) Math.min(dst.remaining(), run.get().stop() - position);
        dst.put(bytes.get(key), (int) position, n);
        return n;
    }

    @Override
    public synchronized void remove(String key) {
        versions.remove(key);
        held.remove(key);
        bytes.remove(key);
    }

    @Override
    public void close() {}
}
