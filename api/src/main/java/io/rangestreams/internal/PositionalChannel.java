package io.rangestreams.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only channel with its own position over anything that reads at a position: a
 * {@link io.rangestreams.RangeStream}, a {@link io.rangestreams.StreamBuffer}. Not thread-safe, as
 * channels go.
 */
public final class PositionalChannel implements SeekableByteChannel {

    /** What the channel reads from. */
    public interface Source {
        /** Reads at {@code position} into {@code dst}; -1 at or past the end. */
        int read(long position, ByteBuffer dst) throws IOException;

        /** The length of what is read. */
        long size() throws IOException;
    }

    private final Source source;
    private long position;
    private volatile boolean open = true;

    /** A channel at position 0. */
    public PositionalChannel(Source source) {
        this.source = source;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        int n = source.read(position, dst);
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        ensureOpen();
        throw new NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("position must not be negative, was " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return source.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) throws IOException {
        ensureOpen();
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
