package io.rangestreams;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bytes a {@link StreamBuffer} has taken from its source, in order: in memory up to a limit, then all of
 * them in a spill file. Not thread-safe: the buffer's lock guards it. Holds no reference to the buffer, so
 * the buffer's cleaner can {@link #release()} it.
 */
final class SpillingBytes {

    /** The size of the memory blocks. */
    static final int BLOCK = 64 * 1024;

    private final long memoryLimit;
    private final Optional<Path> spillDirectory;
    private final List<byte[]> blocks = new ArrayList<>(); // in memory, until spilled
    private long size;
    private Path spillFile;
    private FileChannel spill;

    SpillingBytes(long memoryLimit, Optional<Path> spillDirectory) {
        this.memoryLimit = memoryLimit;
        this.spillDirectory = spillDirectory;
    }

    /** How many bytes are held. */
    long size() {
        return size;
    }

    /** Whether the bytes moved to a file. */
    boolean spilled() {
        return spill != null;
    }

    /** Adds {@code n} bytes of {@code buf} at the end, spilling first if memory would pass its limit. */
    void append(byte[] buf, int n) throws IOException {
        if (spill == null && size + n > memoryLimit) {
            spill();
        }
        if (spill != null) {
            ByteBuffer src = ByteBuffer.wrap(buf, 0, n);
            long at = size;
            while (src.hasRemaining()) {
                at += spill.write(src, at);
            }
        } else {
            // Fixed-size blocks, so a source of tiny chunks costs no more than one of big ones.
            int copied = 0;
            while (copied < n) {
                int inBlock = (int) ((size + copied) % BLOCK);
                if (inBlock == 0) {
                    blocks.add(new byte[BLOCK]);
                }
                byte[] block = blocks.get(blocks.size() - 1);
                int k = Math.min(n - copied, BLOCK - inBlock);
                System.arraycopy(buf, copied, block, inBlock, k);
                copied += k;
            }
        }
        size += n;
    }

    /** Copies the held bytes at {@code offset} into all of {@code dst}'s remaining space. */
    void copyOut(long offset, ByteBuffer dst) throws IOException {
        if (spill != null) {
            long at = offset;
            while (dst.hasRemaining()) {
                int n = spill.read(dst, at);
                if (n < 0) {
                    throw new IOException("spill file shorter than " + size + " bytes");
                }
                at += n;
            }
            return;
        }
        long at = offset;
        while (dst.hasRemaining()) {
            byte[] block = blocks.get((int) (at / BLOCK));
            int from = (int) (at % BLOCK);
            int n = Math.min(BLOCK - from, dst.remaining());
            dst.put(block, from, n);
            at += n;
        }
    }

    /** Lets go of the bytes in memory. */
    void dropMemory() {
        blocks.clear();
    }

    /** Closes and deletes the spill file, if any; best effort, as nothing else can be done with a failure here. */
    void release() {
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

    private void spill() throws IOException {
        Path dir = spillDirectory.orElse(Path.of(System.getProperty("java.io.tmpdir")));
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, "stream-buffer-", ".spill");
        spillFile = file;
        try {
            spill = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            spillFile = null;
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
            ByteBuffer src = ByteBuffer.wrap(block, 0, (int) Math.min(block.length, size - at));
            while (src.hasRemaining()) {
                at += spill.write(src, at);
            }
        }
        blocks.clear();
    }
}
