package io.rangestreams.hadoop;

import io.rangestreams.Range;
import io.rangestreams.RangeStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.apache.hadoop.fs.ByteBufferPositionedReadable;
import org.apache.hadoop.fs.ByteBufferReadable;
import org.apache.hadoop.fs.FSExceptionMessages;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.FileRange;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.StreamCapabilities;

/**
 * The stream inside the {@link org.apache.hadoop.fs.FSDataInputStream} that
 * {@link RangeStreamsFileSystem#open} returns: a position over one {@link RangeStream}. Positioned reads
 * go to the range stream directly, so they do not move the position and may run concurrently with the
 * sequential reads; {@code readVectored} is {@link RangeStream#fetchAll}. A read of at least one block
 * fetches exactly its bytes, as a columnar reader reading a column chunk wants; smaller reads fetch
 * whole blocks, with readahead while they are sequential.
 *
 * <p>Sequential reads and {@code seek} are for one thread at a time, as for every Hadoop input stream.
 * {@link #close()} closes the range stream (held bytes stay in the client's store).
 */
final class RangeStreamsInputStream extends FSInputStream
        implements ByteBufferReadable, ByteBufferPositionedReadable, StreamCapabilities {

    private final RangeStream stream;
    private final long length;
    private final FileSystem.Statistics statistics;
    private final Executor vectoredExecutor;
    private final long exactReadSize;
    private final byte[] oneByte = new byte[1];
    private long position;
    private volatile boolean closed;

    /**
     * @param exactReadSize a read of at least this many bytes fetches exactly its bytes; smaller reads
     *     go through the client's blocks and readahead
     */
    RangeStreamsInputStream(RangeStream stream, long length, FileSystem.Statistics statistics,
            Executor vectoredExecutor, long exactReadSize) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.length = length;
        this.statistics = statistics;
        this.vectoredExecutor = vectoredExecutor;
        this.exactReadSize = exactReadSize;
    }

    @Override
    public synchronized void seek(long target) throws IOException {
        requireOpen();
        if (target < 0) {
            throw new EOFException(FSExceptionMessages.NEGATIVE_SEEK + ": " + target + " in " + stream.uri());
        }
        if (target > length) {
            throw new EOFException(FSExceptionMessages.CANNOT_SEEK_PAST_EOF + ": " + target + " > length "
                    + length + " of " + stream.uri());
        }
        position = target;
    }

    @Override
    public synchronized long getPos() throws IOException {
        requireOpen();
        return position;
    }

    @Override
    public boolean seekToNewSource(long targetPos) {
        return false;
    }

    @Override
    public synchronized int read() throws IOException {
        int n = read(oneByte, 0, 1);
        return n < 0 ? -1 : oneByte[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        requireOpen();
        Objects.checkFromIndexSize(off, len, b.length);
        return read(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public synchronized int read(ByteBuffer buf) throws IOException {
        requireOpen();
        if (!buf.hasRemaining()) {
            return 0;
        }
        int n = readAt(position, buf);
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public int read(long pos, byte[] buffer, int offset, int len) throws IOException {
        validatePositionedReadArgs(pos, buffer, offset, len);
        requireOpen();
        if (len == 0) {
            return 0;
        }
        return readAt(pos, ByteBuffer.wrap(buffer, offset, len));
    }

    @Override
    public int read(long pos, ByteBuffer buf) throws IOException {
        requireOpen();
        if (pos < 0) {
            throw new EOFException(FSExceptionMessages.NEGATIVE_SEEK + ": " + pos + " in " + stream.uri());
        }
        if (!buf.hasRemaining()) {
            return 0;
        }
        return readAt(pos, buf);
    }

    @Override
    public void readFully(long pos, byte[] buffer, int offset, int len) throws IOException {
        validatePositionedReadArgs(pos, buffer, offset, len);
        readFully(pos, ByteBuffer.wrap(buffer, offset, len));
    }

    @Override
    public void readFully(long pos, ByteBuffer buf) throws IOException {
        requireOpen();
        if (pos < 0) {
            throw new EOFException(FSExceptionMessages.NEGATIVE_SEEK + ": " + pos + " in " + stream.uri());
        }
        if (pos + buf.remaining() > length) {
            throw new EOFException(FSExceptionMessages.EOF_IN_READ_FULLY + ": [" + pos + ", "
                    + (pos + buf.remaining()) + ") runs past length " + length + " of " + stream.uri());
        }
        long at = pos;
        while (buf.hasRemaining()) {
            int n = readAt(at, buf);
            if (n < 0) {
                throw new EOFException(FSExceptionMessages.EOF_IN_READ_FULLY + " at " + at + " of " + stream.uri());
            }
            at += n;
        }
    }

    /**
     * Reads the ranges as one {@link RangeStream#fetchAll} (only the gaps, near ones coalesced, requests in
     * parallel), then fills each range's buffer from the store. The call returns at once; each range's
     * future completes when its bytes are in its buffer.
     *
     * @throws java.io.EOFException at once if a range runs past the end
     * @throws IllegalArgumentException at once if ranges overlap or one is invalid
     */
    @Override
    public void readVectored(List<? extends FileRange> ranges, IntFunction<ByteBuffer> allocate) throws IOException {
        readVectored(ranges, allocate, buffer -> { });
    }

    @Override
    public void readVectored(List<? extends FileRange> ranges, IntFunction<ByteBuffer> allocate,
            Consumer<ByteBuffer> release) throws IOException {
        Objects.requireNonNull(ranges, "ranges");
        Objects.requireNonNull(allocate, "allocate");
        Objects.requireNonNull(release, "release");
        requireOpen();
        new RangeStreamsVectoredRead(stream, length, vectoredExecutor, this::countRead)
                .start(ranges, allocate, release);
    }

    /** True for positioned and buffer reads and vectored reads; the stream buffers nothing of its own. */
    @Override
    public boolean hasCapability(String capability) {
        return switch (capability.toLowerCase(Locale.ROOT)) {
            case StreamCapabilities.READBYTEBUFFER, StreamCapabilities.PREADBYTEBUFFER,
                    StreamCapabilities.VECTOREDIO -> true;
            default -> false;
        };
    }

    /** The bytes after the position that are already held, so a read of them sends no request. */
    @Override
    public synchronized int available() throws IOException {
        requireOpen();
        for (Range held : stream.ranges()) {
            if (held.contains(position)) {
                return (int) Math.min(Integer.MAX_VALUE, Math.min(held.stop(), length) - position);
            }
        }
        return 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            stream.close();
        }
    }

    @Override
    public String toString() {
        return "RangeStreamsInputStream{" + stream.uri() + ", position=" + position + ", length=" + length
                + ", " + stream.stats() + "}";
    }

    private int readAt(long pos, ByteBuffer buf) throws IOException {
        if (pos >= length) {
            return -1;
        }
        if (buf.remaining() >= exactReadSize) {
            // Columnar readers ask for whole column chunks: fetched as asked, not widened into neighbours.
            stream.fetch(Range.of(pos, Math.min(length, pos + buf.remaining())));
        }
        int n = stream.read(pos, buf);
        if (n > 0) {
            countRead(n);
        }
        return n;
    }

    private void countRead(long bytes) {
        if (statistics != null) {
            statistics.incrementBytesRead(bytes);
        }
    }

    private void requireOpen() throws IOException {
        if (closed) {
            throw new IOException(FSExceptionMessages.STREAM_IS_CLOSED + ": " + stream.uri());
        }
    }
}
