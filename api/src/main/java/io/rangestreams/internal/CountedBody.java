package io.rangestreams.internal;

import io.rangestreams.spi.FillingBody;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/**
 * A response body that counts every byte read from it, so statistics and events see what came over the
 * network, bytes later thrown away included. It fills through {@link FillingBody} when the transport's
 * body can, so wrapping it costs the engine none of that saving.
 */
final class CountedBody extends FilterInputStream {

    private final FillingBody filling; // null when the body cannot fill
    private final LongConsumer counter;
    private long count;
    private boolean ended;
    private boolean broken; // a read failed: what the client holds is not to be trusted or counted

    CountedBody(InputStream body, LongConsumer counter) {
        super(body);
        this.filling = body instanceof FillingBody f ? f : null;
        this.counter = counter;
    }

    /**
     * Reads up to {@code len} bytes into {@code b}: all of them unless the body ends or fails first
     * when the transport's body fills, else as one read returns them.
     *
     * @return the bytes read, or -1 at the end of the body
     */
    int fill(byte[] b, int off, int len) throws IOException {
        try {
            return counted(filling != null ? filling.fill(b, off, len) : in.read(b, off, len));
        } catch (IOException | RuntimeException e) {
            markBroken();
            throw e;
        }
    }

    @Override
    public int read() throws IOException {
        try {
            int b = in.read();
            if (b < 0) {
                counted(-1);
            } else {
                add(1);
            }
            return b;
        } catch (IOException | RuntimeException e) {
            markBroken();
            throw e;
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return counted(in.read(b, off, len));
        } catch (IOException | RuntimeException e) {
            markBroken();
            throw e;
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            long skipped = in.skip(n);
            add(skipped);
            return skipped;
        } catch (IOException | RuntimeException e) {
            markBroken();
            throw e;
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** The body bytes read so far. */
    synchronized long count() {
        return count;
    }

    /** Whether the body was read to its end. */
    synchronized boolean ended() {
        return ended;
    }

    /**
     * Counts the bytes the client has already received but nobody will read, because the body is being
     * given up before its end; they crossed the network all the same.
     */
    void countUnread() {
        synchronized (this) {
            if (ended || broken) {
                return;
            }
            broken = true; // counted once
        }
        try {
            add(Math.max(0, in.available()));
        } catch (IOException | RuntimeException e) {
            // A body that cannot tell has nothing buffered worth counting.
        }
    }

    private synchronized void markBroken() {
        broken = true;
    }

    private int counted(int n) {
        if (n < 0) {
            synchronized (this) {
                ended = true;
            }
        } else {
            add(n);
        }
        return n;
    }

    private void add(long n) {
        if (n > 0) {
            synchronized (this) {
                count += n;
            }
            counter.accept(n);
        }
    }
}
