package io.rangestreams.storage.mapdb;

import io.rangestreams.RangeStreamException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The bytes of every piece, in one plain file beside the MapDB file: written once with positional
 * writes, synced before the index that names them is committed, and read back with each
 * {@value #BLOCK}-byte block checked against its CRC32C. MapDB's write-ahead log would write every
 * byte twice; the index, which is small, keeps it.
 *
 * <p>Space freed by a change is reused only once that change is committed, so a crash never leaves
 * the committed index naming space that other bytes overwrote. Writes and frees are guarded by the
 * store's write lock; reads and syncs are safe from any thread.
 */
final class DataFile implements Closeable {

    /** The bytes covered by one checksum: small enough that a short read checks little more. */
    static final int BLOCK = 16 * 1024;

    /** The most bytes checked and copied in one turn: a thread-local direct buffer of this size. */
    private static final int SCRATCH = 64 * BLOCK;

    private static final ThreadLocal<ByteBuffer> SCRATCH_BUFFER =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(SCRATCH));

    private final Path path;
    // Replaced when a thread's interrupt closed it (FileChannel closes itself for every user then).
    private volatile FileChannel channel;
    private FileLock lock;
    private volatile boolean closed;
    private final FreeSpace free = new FreeSpace();
    // Space freed since the last commit: {offset, length} pairs, free once the commit is made.
    private final List<long[]> freedSinceCommit = new ArrayList<>();

    private DataFile(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Opens (or creates) the file and locks it for this process.
     *
     * @throws RangeStreamException if another process (or another store of this one) holds it
     */
    static DataFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        return new DataFile(path, channel, lock(path, channel));
    }

    private static FileLock lock(Path path, FileChannel channel) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new RangeStreamException("the MapDB store's data file " + path
                    + " is in use by another store; close that one first or give this one another file");
        }
        return lock;
    }

    /** One operation on the channel. */
    @FunctionalInterface
    private interface ChannelIo<T> {
        T run(FileChannel channel) throws IOException;
    }

    /**
     * Runs {@code io} on the channel. An interrupted thread's I/O closes a {@link FileChannel} for every
     * thread: the channel is then opened again, and the operation retried unless this thread is the
     * interrupted one.
     */
    private <T> T io(ChannelIo<T> io) throws IOException {
        FileChannel c = channel;
        try {
            return io.run(c);
        } catch (ClosedChannelException e) {
            if (closed) {
                throw e;
            }
            reopen(c);
            if (Thread.currentThread().isInterrupted()) {
                throw e;
            }
            return io.run(channel);
        }
    }

    private synchronized void reopen(FileChannel failed) throws IOException {
        if (channel == failed && !closed) {
            FileChannel c = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            lock = lock(path, c);
            channel = c;
        }
    }

    Path path() {
        return path;
    }

    /** The file's length in use: the end of its last piece. */
    long end() {
        return free.end();
    }

    /**
     * Starts over from the committed index: {@code used} holds {offset, length} of every piece,
     * sorted by offset. Space nothing uses is free, and the file is cut after the last piece.
     */
    void reset(List<long[]> used) throws IOException {
        free.clear();
        freedSinceCommit.clear();
        for (long[] piece : used) {
            free.markUsed(piece[0], piece[1]);
        }
        cutAfterLastPiece();
    }

    /**
     * Writes {@code length} bytes of {@code src} from its position (which it leaves unchanged) to new
     * space, and returns the piece's place: {@code offset} then one CRC32C per block.
     *
     * @throws RangeStreamException naming the file if the device is full or the write fails; the
     *     space is released
     */
    long[] write(ByteBuffer src, int length) throws IOException {
        long offset = free.allocate(length);
        int blocks = (length + BLOCK - 1) / BLOCK;
        long[] place = new long[1 + blocks];
        place[0] = offset;
        ByteBuffer bytes = src.slice(src.position(), length);
        CRC32C crc = new CRC32C();
        for (int b = 0; b < blocks; b++) {
            crc.reset();
            crc.update(bytes.slice(b * BLOCK, Math.min(BLOCK, length - b * BLOCK)));
            place[1 + b] = crc.getValue();
        }
        try {
            io(c -> {
                long at = offset + bytes.position();
                while (bytes.hasRemaining()) {
                    at += c.write(bytes, at);
                }
                return null;
            });
        } catch (IOException e) {
            free.release(offset, length);
            throw failure("writing " + length + " bytes to", e);
        }
        return place;
    }

    /**
     * Copies bytes of the piece at {@code place} (of {@code length} bytes) from {@code from} into
     * {@code dst}, as many as fit, checking each block they lie in before any of its bytes is copied.
     *
     * @return the bytes copied; fewer than asked when a block fails its checksum (or is cut off the file),
     *     and then {@code damaged} in the result
     */
    Read read(long[] place, int length, int from, ByteBuffer dst) throws IOException {
        int want = Math.min(dst.remaining(), length - from);
        int copied = 0;
        ByteBuffer scratch = SCRATCH_BUFFER.get();
        CRC32C crc = new CRC32C();
        while (copied < want) {
            int pos = from + copied;
            int firstBlock = pos / BLOCK;
            int blockStart = firstBlock * BLOCK;
            int span = Math.min(SCRATCH, length - blockStart);
            int needed = Math.min(want - copied, span - (pos - blockStart));
            // Whole blocks up to the last byte needed.
            int chunk = Math.min(span, ((pos - blockStart + needed + BLOCK - 1) / BLOCK) * BLOCK);
            scratch.clear().limit(chunk);
            long at = place[0] + blockStart;
            boolean complete = io(c -> {
                while (scratch.hasRemaining()) {
                    if (c.read(scratch, at + scratch.position()) < 0) {
                        return false;
                    }
                }
                return true;
            });
            if (!complete) {
                return new Read(copied, true); // the file was cut short under us
            }
            for (int b = 0; b * BLOCK < chunk; b++) {
                crc.reset();
                crc.update(scratch.slice(b * BLOCK, Math.min(BLOCK, chunk - b * BLOCK)));
                if (crc.getValue() != place[1 + firstBlock + b]) {
                    return new Read(copied, true);
                }
            }
            dst.put(scratch.slice(pos - blockStart, needed));
            copied += needed;
        }
        return new Read(copied, false);
    }

    /** What {@link #read} copied, and whether it stopped at a damaged block. */
    record Read(int copied, boolean damaged) {}

    /** Frees a piece's space once the current changes are committed. */
    void free(long offset, int length) {
        freedSinceCommit.add(new long[] {offset, length});
    }

    /** Bytes of pieces freed since the last commit. */
    long freedSinceCommit() {
        return freedSinceCommit.stream().mapToLong(p -> FreeSpace.footprint(p[1])).sum();
    }

    /** Makes every byte written so far durable. */
    void sync() throws IOException {
        try {
            io(c -> {
                c.force(false);
                return null;
            });
        } catch (IOException e) {
            throw failure("syncing", e);
        }
    }

    /** The changes are committed: space they freed is free now, and the file is cut after its last piece. */
    void committed() throws IOException {
        for (long[] p : freedSinceCommit) {
            free.release(p[0], p[1]);
        }
        freedSinceCommit.clear();
        cutAfterLastPiece();
    }

    private void cutAfterLastPiece() throws IOException {
        long end = free.end();
        io(c -> c.size() > end ? c.truncate(end) : c);
    }

    private RangeStreamException failure(String doing, IOException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (reason.contains("No space left")) {
            return new RangeStreamException("no space left on device for MapDB store data file " + path + " ("
                    + doing + " it); free space there or lower the store's maxBytes", e);
        }
        return new RangeStreamException(doing + " MapDB store data file " + path + " failed: " + reason, e);
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        try {
            if (channel.isOpen()) {
                lock.release();
            }
        } finally {
            channel.close();
        }
    }
}
