package io.rangestreams.format.tar;

import java.io.IOException;
import java.io.InputStream;

/**
 * Tar headers read from a stream that only goes forward (a decompressor): a read skips to its position
 * and takes its bytes; a position behind the last read is a programming error, since {@link TarHeaders}
 * reads in increasing order.
 *
 * <p>Not thread-safe.
 */
final class ForwardSource implements TarHeaders.Source {

    private final InputStream in;
    private final String what;
    private long position;

    ForwardSource(InputStream in, String what) {
        this.in = in;
        this.what = what;
    }

    @Override
    public byte[] read(long at, int size) throws IOException {
        if (at < position) {
            throw new IllegalStateException(what + ": read at offset " + at + " behind the stream's offset " + position);
        }
        long skip = at - position;
        while (skip > 0) {
            long n = in.skip(skip);
            if (n <= 0) {
                if (in.read() < 0) {
                    return new byte[0];
                }
                n = 1;
            }
            skip -= n;
            position += n;
        }
        byte[] bytes = in.readNBytes(size);
        position += bytes.length;
        return bytes;
    }
}
