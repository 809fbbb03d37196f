package io.rangestreams;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Random;

/**
 * Run in a forked JVM with a small heap: streams a large generated source through a
 * {@link StreamBuffer} with the default 5 MiB limit, reading ahead, back and at random, and checks
 * every byte. Prints "ok" and the heap used.
 */
public final class StreamBufferHeapCheck {

    private StreamBufferHeapCheck() {}

    static byte at(long i) {
        return (byte) (i * 131 + (i >>> 16));
    }

    public static void main(String[] args) throws IOException {
        long size = Long.parseLong(args[0]);
        Path dir = Path.of(args[1]);
        InputStream source = new InputStream() {
            private long pos;

            @Override
            public int read() {
                return pos < size ? at(pos++) & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - pos);
                for (int i = 0; i < n; i++) {
                    b[off + i] = at(pos + i);
                }
                pos += n;
                return n;
            }
        };
        try (StreamBuffer buffer = StreamBuffer.builder(source).spillDirectory(dir).build()) {
            check(buffer, size - 4096, 4096);
            check(buffer, 0, 1 << 20);
            Random random = new Random(1);
            for (int i = 0; i < 200; i++) {
                check(buffer, (long) (random.nextDouble() * (size - 65536)), 65536);
            }
            if (buffer.read(size, 10).length != 0) {
                throw new AssertionError("bytes past the end");
            }
            if (buffer.length().orElse(-1) != size) {
                throw new AssertionError("length " + buffer.length() + " instead of " + size);
            }
        }
        Runtime rt = Runtime.getRuntime();
        System.out.println("ok heap used " + (rt.totalMemory() - rt.freeMemory()) + " of max " + rt.maxMemory());
    }

    private static void check(StreamBuffer buffer, long offset, int size) throws IOException {
        byte[] got = buffer.read(offset, size);
        if (got.length != size) {
            throw new AssertionError("read(" + offset + ", " + size + ") returned " + got.length + " bytes");
        }
        for (int i = 0; i < size; i++) {
            if (got[i] != at(offset + i)) {
                throw new AssertionError("byte " + (offset + i) + " differs");
            }
        }
    }
}
