package io.rangestreams.format;

import io.rangestreams.Range;
import io.rangestreams.RangeStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The bytes {@code [start, stop)} of a {@link RangeStream} as an {@link InputStream}. It fetches ahead
 * itself, in windows that double from 256 KiB to 16 MiB and never pass {@code stop}: the engine's own
 * readahead would fetch past the end of a member. Bytes already held cost no request. Closing it
 * leaves the stream open.
 *
 * <p>Not thread-safe.
 */
public final class SliceInputStream extends InputStream {

    private final RangeStream stream;
    private static final long FIRST_WINDOW = 256 * 1024;
    private static final long MAX_WINDOW = 16L * 1024 * 1024;

    private final long stop;
    private long position;
    private long fetchedTo;
    private long window = FIRST_WINDOW;
    private boolean closed;

    /** The bytes {@code [start, stop)} of {@code stream}. */
    public SliceInputStream(RangeStream stream, long start, long stop) {
        this.stream = Objects.requireNonNull(stream, "stream");
        if (start < 0 || stop < start) {
            throw new IllegalArgumentException("invalid slice [" + start + ", " + stop + ") of " + stream.uri());
        }
        this.position = start;
        this.fetchedTo = start;
        this.stop = stop;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("stream over " + stream.uri() + " is closed");
        }
        if (len == 0) {
            return 0;
        }
        if (position >= stop) {
            return -1;
        }
        if (position >= fetchedTo) {
            fetchedTo = Math.min(stop, position + window);
            window = Math.min(MAX_WINDOW, window * 2);
            stream.fetch(Range.of(position, fetchedTo));
        }
        int n = (int) Math.min(len, fetchedTo - position);
        byte[] bytes = stream.read(Range.of(position, position + n));
        System.arraycopy(bytes, 0, b, off, n);
        position += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long skipped = Math.max(0, Math.min(n, stop - position));
        position += skipped;
        return skipped;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, stop - position));
    }

    @Override
    public void close() {
        closed = true;
    }
}
