package io.rangestreams.format;

import io.rangestreams.RangeStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The bytes {@code [start, stop)} of a {@link RangeStream} as an {@link InputStream}, read with
 * positional reads so the engine's readahead applies. Closing it leaves the stream open.
 *
 * <p>Not thread-safe.
 */
public final class SliceInputStream extends InputStream {

    private final RangeStream stream;
    private final long stop;
    private long position;
    private boolean closed;

    /** The bytes {@code [start, stop)} of {@code stream}. */
    public SliceInputStream(RangeStream stream, long start, long stop) {
        this.stream = Objects.requireNonNull(stream, "stream");
        if (start < 0 || stop < start) {
            throw new IllegalArgumentException("invalid slice [" + start + ", " + stop + ") of " + stream.uri());
        }
        this.position = start;
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
        int want = (int) Math.min(len, stop - position);
        int n = stream.read(position, ByteBuffer.wrap(b, off, want));
        if (n < 0) {
            throw new EOFException(stream.uri() + " ended at " + position + ", before the end of the slice at " + stop);
        }
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
