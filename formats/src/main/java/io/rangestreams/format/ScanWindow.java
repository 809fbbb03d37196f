package io.rangestreams.format;

import io.rangestreams.Range;
import io.rangestreams.RangeStream;
import java.io.IOException;
import java.util.Objects;

/**
 * Reads small records spread through a resource in increasing order (tar headers, png chunk headers)
 * with few requests: while records are close together it fetches ahead in windows that grow eightfold
 * (64 KiB, 512 KiB, 4 MiB, up to 32 MiB), and when a record lies far past the previous one it fetches
 * only the record, so skipped member data is never downloaded.
 *
 * <p>Why not the engine's readahead: it follows reads that continue exactly where the last one
 * stopped, and a header scan jumps over every member's data, so to the engine it looks random.
 *
 * <p>Not thread-safe: one scan at a time.
 */
public final class ScanWindow {

    /** Records closer than this to the previous one count as dense. */
    static final long DENSE = 64 * 1024;
    static final long FIRST = 64 * 1024;
    static final long MAX = 32L * 1024 * 1024;

    private final RangeStream stream;
    private long fetchedFrom = -1;
    private long fetchedTo = -1;
    private long window;
    private long lastEnd = -1;

    /** Scans {@code stream}; sends nothing yet. */
    public ScanWindow(RangeStream stream) {
        this.stream = Objects.requireNonNull(stream, "stream");
    }

    /**
     * The {@code size} bytes at {@code position}, fewer only at the end of the resource (none past it).
     */
    public byte[] read(long position, int size) throws IOException {
        if (position < 0 || size < 0) {
            throw new IllegalArgumentException("position and size must not be negative, were " + position + " and "
                    + size);
        }
        if (position < fetchedFrom || position + size > fetchedTo) {
            long ahead;
            if (lastEnd < 0) {
                ahead = FIRST;
            } else if (position - lastEnd < DENSE) {
                ahead = window == 0 ? FIRST : Math.min(MAX, window * 8);
            } else {
                ahead = 0;
            }
            window = ahead;
            long stop = position + Math.max(size, ahead);
            if (lastEnd >= 0 && position >= stream.length()) {
                lastEnd = position;
                return new byte[0];
            }
            if (stop > position) {
                stream.fetch(Range.of(position, stop));
            }
            fetchedFrom = position;
            fetchedTo = stop;
        }
        long length = stream.length();
        lastEnd = position + size;
        if (position >= length) {
            return new byte[0];
        }
        return stream.read(Range.of(position, Math.min(length, position + size)));
    }
}
