package io.rangestreams;

import io.rangestreams.internal.PositionalChannel;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
    private static final int PULL_SIZE = 64 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Source source;
    private final long memoryLimit;
    private final OptionalLong expectedLength;
    private final long maxBytes;
    private final Optional<Path> spillDirectory;
    private final Resources resources;
    private final Cleaner.Cleanable cleanable;

    private final List<byte[]> blocks = new ArrayList<>(); // in memory, until spilled
    private long available; // bytes taken from the source so far
    private boolean ended; // the source is exhausted
    private boolean overBound; // the source held more than maxBytes
    private boolean closed;

    /** What must be released even if the buffer is abandoned; holds no reference to the buffer. */
    private static final class Resources implements Runnable {
        final Source source;
        Path spillFile;
        FileChannel spill;

        Resources(Source source) {
            this.source = source;
        }

        @Override
        public void run() {
            try {
                source.close();
            } catch (IOException | RuntimeException ignored) {
                // best effort: nothing else can be done with a failure here
            }
            try {
                if (spill != null) {
                    spill.close();
                }
            } catch (IOException ignored) {
                // best effort, as above
            }
            try {
                if (spillFile != null) {
                    Files.deleteIfExists(spillFile);
                }
            } catch (IOException ignored) {
                // best effort, as above
            }
        }
    }

    /** A one-way source of chunks. */
    private interface Source extends Closeable {
        /** Up to {@code max} bytes into {@code buf}; -1 at the end. */
        int read(byte[] buf, int max) throws IOException;
    }

    private StreamBuffer(Source source, long memoryLimit, OptionalLong expectedLength, long maxBytes,
            Optional<Path> spillDirectory) {
        this.source = source;
        this.memoryLimit = memoryLimit;
        this.expectedLength = expectedLength;
        this.maxBytes = maxBytes;
        this.spillDirectory = spillDirectory;
        this.resources = new Resources(source);
        this.cleanable = CLEANER.register(this, resources);
    }

    /** A buffer over an input stream, with the default memory limit. */
    public static StreamBuffer of(InputStream in) {
        return builder(in).build();
    }

    /** A builder over an input stream; the buffer closes the stream. */
    public static Builder builder(InputStream in) {
        Objects.requireNonNull(in, "in");
        return new Builder(new Source() {
            @Override
            public int read(byte[] buf, int max) throws IOException {
                return in.read(buf, 0, max);
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        });
    }

    /**
     * A builder over a one-way iterator of byte chunks (of any sizes, empty ones allowed). It is
     * iterated once and never restarted; if it is {@link Closeable}, the buffer closes it.
     */
    public static Builder builder(Iterator<byte[]> chunks) {
        Objects.requireNonNull(chunks, "chunks");
        return new Builder(new Source() {
            private byte[] current = new byte[0];
            private int offset;

            @Override
            public int read(byte[] buf, int max) {
                while (offset == current.length) {
                    if (!chunks.hasNext()) {
                        return -1;
                    }
                    current = Objects.requireNonNull(chunks.next(), "chunk");
                    offset = 0;
                }
                int n = Math.min(max, current.length - offset);
                System.arraycopy(current, offset, buf, 0, n);
                offset += n;
                return n;
            }

            @Override
            public void close() throws IOException {
                if (chunks instanceof Closeable c) {
                    c.close();
                }
            }
        });
    }

    /** Configures a {@link StreamBuffer}. */
    public static final class Builder {
        private final Source source;
        private long memoryLimit = DEFAULT_MEMORY_LIMIT;
        private OptionalLong expectedLength = OptionalLong.empty();
        private long maxBytes = Long.MAX_VALUE;
        private Optional<Path> spillDirectory = Optional.empty();

        private Builder(Source source) {
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
            long stop = Math.min(end, available);
            if (offset >= stop) {
                return new byte[0];
            }
            byte[] out = new byte[(int) (stop - offset)];
            copyOut(offset, ByteBuffer.wrap(out));
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
            if (offset >= available) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), available - offset);
            ByteBuffer slice = dst.duplicate();
            slice.limit(slice.position() + n);
            copyOut(offset, slice);
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
            return ended ? OptionalLong.of(available) : expectedLength;
        } finally {
            lock.unlock();
        }
    }

    /** How many bytes have been taken from the source so far (and can be read back for free). */
    public long available() {
        lock.lock();
        try {
            return available;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the buffer has spilled to a file. */
    public boolean spilled() {
        lock.lock();
        try {
            return resources.spill != null;
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
                    return available;
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
            blocks.clear();
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
        while (available < end && !ended) {
            if (overBound) {
                throw overBound();
            }
            if (buf == null) {
                buf = new byte[PULL_SIZE];
            }
            // At the bound, one byte more tells a source of exactly maxBytes from a longer one.
            int n = source.read(buf, (int) Math.max(1, Math.min(buf.length, maxBytes - available)));
            if (n > 0 && available + n > maxBytes) {
                overBound = true;
                throw overBound();
            }
            if (n < 0) {
                ended = true;
                if (expectedLength.isPresent() && available != expectedLength.getAsLong()) {
                    throw new IOException("source ended after " + available + " bytes; expected "
                            + expectedLength.getAsLong());
                }
                break;
            }
            if (n > 0) {
                append(buf, n);
            }
        }
    }

    private IOException overBound() {
        return new IOException("the source is longer than this buffer's bound of " + maxBytes + " bytes");
    }

    private void append(byte[] buf, int n) throws IOException {
        if (resources.spill == null && available + n > memoryLimit) {
            spill();
        }
        if (resources.spill != null) {
            ByteBuffer src = ByteBuffer.wrap(buf, 0, n);
            long at = available;
            while (src.hasRemaining()) {
                at += resources.spill.write(src, at);
            }
        } else {
            // Fixed-size blocks, so a source of tiny chunks costs no more than one of big ones.
            int copied = 0;
            while (copied < n) {
                int inBlock = (int) ((available + copied) % PULL_SIZE);
                if (inBlock == 0) {
                    blocks.add(new byte[PULL_SIZE]);
                }
                byte[] block = blocks.get(blocks.size() - 1);
                int k = Math.min(n - copied, PULL_SIZE - inBlock);
                System.arraycopy(buf, copied, block, inBlock, k);
                copied += k;
            }
        }
        available += n;
    }

    private void spill() throws IOException {
        Path dir = spillDirectory.orElse(Path.of(System.getProperty("java.io.tmpdir")));
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, "stream-buffer-", ".spill");
        resources.spillFile = file;
        try {
            resources.spill = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            resources.spillFile = null;
            throw e;
        }
        try {
            // Unlinked now, the file lives as long as the channel: nothing is left if the process dies.
            Files.delete(file);
        } catch (IOException e) {
            // A system that keeps open files (Windows) deletes it when the channel closes.
        }
        long at = 0;
        for (byte[] block : blocks) {
            ByteBuffer src = ByteBuffer.wrap(block, 0, (int) Math.min(block.length, available - at));
            while (src.hasRemaining()) {
                at += resources.spill.write(src, at);
            }
        }
        blocks.clear();
    }

    private void copyOut(long offset, ByteBuffer dst) throws IOException {
        if (resources.spill != null) {
            long at = offset;
            while (dst.hasRemaining()) {
                int n = resources.spill.read(dst, at);
                if (n < 0) {
                    throw new IOException("spill file shorter than " + available + " bytes");
                }
                at += n;
            }
            return;
        }
        long at = offset;
        while (dst.hasRemaining()) {
            byte[] block = blocks.get((int) (at / PULL_SIZE));
            int from = (int) (at % PULL_SIZE);
            int n = Math.min(PULL_SIZE - from, dst.remaining());
            dst.put(block, from, n);
            at += n;
        }
    }
}
