package io.rangestreams;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Objects;

/** A one-way source of chunks that a {@link StreamBuffer} pulls forward. */
interface ChunkSource extends Closeable {

    /** Up to {@code max} bytes into {@code buf}; -1 at the end. */
    int read(byte[] buf, int max) throws IOException;

    /** The bytes of an input stream; closing the source closes the stream. */
    static ChunkSource of(InputStream in) {
        Objects.requireNonNull(in, "in");
        return new ChunkSource() {
            @Override
            public int read(byte[] buf, int max) throws IOException {
                return in.read(buf, 0, max);
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }

    /** The chunks of a one-way iterator, iterated once; closing the source closes it if it is {@link Closeable}. */
    static ChunkSource of(Iterator<byte[]> chunks) {
        Objects.requireNonNull(chunks, "chunks");
        return new ChunkSource() {
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
        };
    }
}
