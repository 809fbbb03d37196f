package io.rangestreams.storage.mapdb;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The free extents of a {@link DataFile} below its end, in units of {@value #UNIT} bytes: allocation is
 * first fit from the lowest offset, so the file stays as short as its pieces allow, and freed extents
 * merge with their neighbours. Not thread-safe: the store's write lock guards it.
 */
final class FreeSpace {

    /** The allocation unit: a file-system block, so pieces never share one. */
    static final int UNIT = 4096;

    // start -> length of each free extent, disjoint and never adjacent.
    private final TreeMap<Long, Long> extents = new TreeMap<>();
    private long end;

    /** The offset past the last allocated byte: the length the file needs. */
    long end() {
        return end;
    }

    /** Bytes a piece of {@code length} takes: whole units. */
    static long footprint(long length) {
        return (length + UNIT - 1) / UNIT * UNIT;
    }

    /** Forgets everything: the file is empty. */
    void clear() {
        extents.clear();
        end = 0;
    }

    /**
     * Marks {@code [offset, offset + footprint(length))} as in use, growing the end past it; the space it
     * skips over becomes free. Used when the index is loaded, pieces in increasing offset order.
     */
    void markUsed(long offset, long length) {
        long stop = offset + footprint(length);
        if (offset > end) {
            release(end, offset - end);
        }
        end = Math.max(end, stop);
    }

    /** An offset for {@code length} bytes: the lowest free extent that fits, else the end. */
    long allocate(long length) {
        long size = footprint(length);
        for (Iterator<Map.Entry<Long, Long>> it = extents.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Long> e = it.next();
            long offset = e.getKey();
            long free = e.getValue();
            if (free >= size) {
                it.remove(); // TreeMap may reuse the entry for its successor: read it first
                if (free > size) {
                    extents.put(offset + size, free - size);
                }
                return offset;
            }
        }
        long offset = end;
        end += size;
        return offset;
    }

    /** Returns the space of a piece of {@code length} at {@code offset}; the end shrinks over free space. */
    void release(long offset, long length) {
        long start = offset;
        long size = footprint(length);
        Map.Entry<Long, Long> before = extents.floorEntry(start);
        if (before != null && before.getKey() + before.getValue() == start) {
            extents.remove(before.getKey());
            start = before.getKey();
            size += before.getValue();
        }
        Long after = extents.get(start + size);
        if (after != null) {
            extents.remove(start + size);
            size += after;
        }
        if (start + size >= end) {
            end = start;
        } else {
            extents.put(start, size);
        }
    }

    /** The free bytes below the end. */
    long freeBytes() {
        return extents.values().stream().mapToLong(Long::longValue).sum();
    }
}
