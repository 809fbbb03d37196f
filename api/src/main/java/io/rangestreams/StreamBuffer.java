package io.rangestreams;

import io.rangestreams.internal.PositionalChannel;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A seekable buffer over a one-way byte source. What has been read from the source is kept in memory
 * up to a limit (default 5 MiB), then everything spills to a temporary file; reads at any offset pull
 * the source forward as far as needed, and reading back is free.
 *
 * <pre>{@code
 * try (StreamBuffer buffer = StreamBuffer.builder(inputStream).memoryLimit(1 << 20).build()) {
 *     byte[] header = buffer.read(0, 512);
 *     byte[] later = buffer.read(10_000_000, 4096); // streams forward, spilling to disk
 *     byte[] again = buffer.read(0, 512);           // served from what was kept
 * }
 * }</pre>
 *
 * <p>A bound ({@link Builder#maxBytes}) caps what the buffer takes from its source, memory and disk
 * together: bytes within it are served as they arrive, and a read that needs the source past it fails,
 * so an endless source costs bounded disk.
 *
 * <p>Thread-safe. {@link #close()} closes the source and deletes the spill file, and is idempotent; a
 * buffer that is never closed is cleaned up the same way once it is unreachable. The spill file is
 * unlinked as soon as it is opened where the system allows it (as POSIX systems do), so even a process
 * that is killed leaves none behind. Reads after close throw {@link IllegalStateException}.
 */
public final class StreamBuffer implements Closeable {

    /** The default memory limit: 5 MiB. */
    public static final long DEFAULT_MEMORY_LIMIT = 5L * 1024 * 1024;

    private static final Cleaner CLEANER = Cleaner.create();

    private final ReentrantLock lock = new ReentrantLock();
    private final ChunkSource source;
    private final OptionalLong expectedLength;
    private final long maxBytes;
    private final SpillingBytes bytes; // taken from the source so far
    private final Resources resources;
    private final Cleaner.Cleanable cleanable;

    private boolean ended; // the source is exhausted
    private boolean overBound; // the source held more than maxBytes
    private boolean closed;

    /** What must be released even if the buffer is abandoned; holds no reference to the buffer. */
    private record Resources(ChunkSource source, SpillingBytes bytes) implements Runnable {
        @Override
        public void run() {
            try {
                source.close();
            } catch (IOException | RuntimeException ignored) {
                // best effort: nothing else can be done with a failure here
            }
            bytes.release();
        }
    }

    private StreamBuffer(ChunkSource source, long memoryLimit, OptionalLong expectedLength, long maxBytes,
            Optional<Path> spillDirectory) {
        this.source = source;
        this.expectedLength = expectedLength;
        this.maxBytes = maxBytes;
        this.bytes = new SpillingBytes(memoryLimit, spillDirectory);
        this.resources = new Resources(source, bytes);
        this.cleanable = CLEANER.register(this, resources);
    }

    /** A buffer over an input stream, with the default memory limit. */
    public static StreamBuffer of(InputStream in) {
        return builder(in).build();
    }

    /** A builder over an input stream; the buffer closes the stream. */
    public static Builder builder(InputStream in) {
        return new Builder(ChunkSource.of(in));
    }

    /**
     * A builder over a one-way iterator of byte chunks (of any sizes, empty ones allowed). It is
     * iterated once and never restarted; if it is {@link Closeable}, the buffer closes it.
     */
    public static Builder builder(Iterator<byte[]> chunks) {
        return new Builder(ChunkSource.of(chunks));
    }

    /** Configures a {@link StreamBuffer}. */
    public static final class Builder {
        private final ChunkSource source;
        private long memoryLimit = DEFAULT_MEMORY_LIMIT;
        private OptionalLong expectedLength = OptionalLong.empty();
        private long maxBytes = Long.MAX_VALUE;
        private Optional<Path> spillDirectory = Optional.empty();

        private Builder(ChunkSource source) {
            this.source = source;
        }

        /** Bytes kept in memory before spilling to a file (default 5 MiB); 0 spills at once. */
        public Builder memoryLimit(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("memoryLimit must not be negative, was " + bytes);
            }
            this.memoryLimit = bytes;
            return this;
        }

        /** The source's length, if known in advance; a source that ends earlier is an error. */
        public Builder expectedLength(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("expectedLength must not be negative, was " + bytes);
            }
            this.expectedLength = OptionalLong.of(bytes);
            return this;
        }

        /** The source's length, if known. */
        public Builder expectedLength(OptionalLong bytes) {
            bytes.ifPresent(this::expectedLength);
            if (bytes.isEmpty()) {
                this.expectedLength = OptionalLong.empty();
            }
            return this;
        }

        /**
         * The most bytes taken from the source, in memory and on disk together (default: no bound). Reads
         * within the bound are served as their bytes arrive; a read that needs the source past it fails with
         * an {@link IOException} that names the bound, and so does one after the source proved longer.
         */
        public Builder maxBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxBytes must not be negative, was " + bytes);
            }
            this.maxBytes = bytes;
            return this;
        }

        /** Where the spill file is created (default: the system's temporary directory). */
        public Builder spillDirectory(Path directory) {
            this.spillDirectory = Optional.of(directory);
            return this;
        }

        /** Where the spill file is created, if not the default. */
        public Builder spillDirectory(Optional<Path> directory) {
            this.spillDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** The buffer; nothing is read from the source yet. */
        public StreamBuffer build() {
            return new StreamBuffer(source, memoryLimit, expectedLength, maxBytes, spillDirectory);
        }
    }

    /**
     * The bytes at {@code offset}: exactly {@code size} of them, fewer only where the source ends (none
     * at or past its end). Pulls the source forward as far as needed.
     *
     * @throws IOException if the source fails, or ends before its expected length
     */
    public byte[] read(long offset, int size) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, was " + size);
        }
        lock.lock();
        try {
            requireOpen();
            long end = offset + size < 0 ? Long.MAX_VALUE : offset + size;
            pullTo(end);
            long stop = Math.min(end, bytes.size());
            if (offset >= stop) {
                return new byte[0];
            }
            byte[] out = new byte[(int) (stop - offset)];
            bytes.copyOut(offset, ByteBuffer.wrap(out));
            return out;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads bytes at {@code offset} into {@code dst}, pulling the source as needed.
     *
     * @return the number of bytes read, or -1 at or past the end of the source
     */
    public int read(long offset, ByteBuffer dst) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
        lock.lock();
        try {
            requireOpen();
            if (!dst.hasRemaining()) {
                return 0;
            }
            pullTo(offset + dst.remaining());
            if (offset >= bytes.size()) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), bytes.size() - offset);
            ByteBuffer slice = dst.duplicate();
            slice.limit(slice.position() + n);
            bytes.copyOut(offset, slice);
            dst.position(dst.position() + n);
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** The source's length, once known: given in advance, or seen when the source ended. */
    public OptionalLong length() {
        lock.lock();
        try {
            return ended ? OptionalLong.of(bytes.size()) : expectedLength;
        } finally {
            lock.unlock();
        }
    }

    /** How many bytes have been taken from the source so far (and can be read back for free). */
    public long available() {
        lock.lock();
        try {
            return bytes.size();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the buffer has spilled to a file. */
    public boolean spilled() {
        lock.lock();
        try {
            return bytes.spilled();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A new read-only channel over the buffer, with its own position; its {@code size()} reads the
     * source to its end if the length is not yet known.
     */
    public SeekableByteChannel channel() {
        return new PositionalChannel(new PositionalChannel.Source() {
            @Override
            public int read(long position, ByteBuffer dst) throws IOException {
                return StreamBuffer.this.read(position, dst);
            }

            @Override
            public long size() throws IOException {
                OptionalLong length = length();
                if (length.isPresent()) {
                    return length.getAsLong();
                }
                lock.lock();
                try {
                    requireOpen();
                    pullTo(Long.MAX_VALUE);
                    return bytes.size();
                } finally {
                    lock.unlock();
                }
            }
        });
    }

    /** Closes the source and deletes the spill file; idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            bytes.dropMemory();
        } finally {
            lock.unlock();
        }
        cleanable.clean();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("StreamBuffer is closed");
        }
    }

    // Callers hold the lock.
    private void pullTo(long end) throws IOException {
        byte[] buf = null;
        while (bytes.size() < end && !ended) {
            if (overBound) {
                throw overBound();
            }
            if (buf == null) {
                buf = new byte[SpillingBytes.BLOCK];
            }
            // At the bound, one byte more tells a source of exactly maxBytes from a longer one.
            int n = source.read(buf, (int) Math.max(1, Math.min(buf.length, maxBytes - bytes.size())));
            if (n > 0 && bytes.size() + n > maxBytes) {
                overBound = true;
                throw overBound();
            }
            if (n < 0) {
                ended = true;
                if (expectedLength.isPresent() && bytes.size() != expectedLength.getAsLong()) {
                    throw new IOException("source ended after " + bytes.size() + " bytes; expected "
                            + expectedLength.getAsLong());
                }
                break;
            }
            if (n > 0) {
                bytes.append(buf, n);
            }
        }
    }

    private IOException overBound() {
        return new IOException("the source is longer than this buffer's bound of " + maxBytes + " bytes");
    }
}
