package io.rangestreams.internal;

import io.rangestreams.RangeStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/** An input stream over a {@link RangeStream}, from its first byte. Not thread-safe, as streams go. */
public final class RangeStreamInputStream extends InputStream {

    private final RangeStream stream;
    private long position;
    private long mark;
    private boolean closed;

    /** A stream at position 0. */
    public RangeStreamInputStream(RangeStream stream) {
        this.stream = stream;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int n = stream.read(position, ByteBuffer.wrap(b, off, len));
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        ensureOpen();
        if (n <= 0) {
            return 0;
        }
        long skipped = Math.min(n, Math.max(0, stream.length() - position));
        position += skipped;
        return skipped;
    }

    @Override
    public int available() throws IOException {
        ensureOpen();
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, stream.length() - position));
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    @Override
    public synchronized void mark(int readlimit) {
        mark = position;
    }

    @Override
    public synchronized void reset() throws IOException {
        ensureOpen();
        position = mark;
    }

    @Override
    public void close() {
        closed = true;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
    }
}
