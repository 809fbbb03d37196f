package io.rangestreams.internal;

import io.rangestreams.RangeStreamException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.net.URI;

/**
 * The whole body a server answered for a range, read through the fallback: past {@code bound} bytes it
 * fails with an error naming the resource and the bound, and closes the response so nothing more is read.
 * Closing it closes the response.
 */
final class BoundedBody extends FilterInputStream {

    private final SentRequest sent;
    private final URI uri;
    private final long bound;
    private long taken;
    private RangeStreamException over;

    BoundedBody(SentRequest sent, URI uri, long bound) {
        super(sent.bodyStream());
        this.sent = sent;
        this.uri = uri;
        this.bound = bound;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (over != null) {
            throw over;
        }
        if (len == 0) {
            return 0;
        }
        // At the bound, one byte more tells a body of exactly the bound from a longer one.
        int n = in.read(b, off, (int) Math.max(1, Math.min(len, bound - taken)));
        if (n > 0) {
            taken += n;
        }
        if (taken > bound) {
            over = new RangeStreamException(uri + " ignores Range and answered a body longer than the fallback's bound"
                    + " of " + bound + " bytes (RangeClient.Builder.fallbackMaxBytes); stopped reading it");
            sent.failed(over);
            sent.close();
            throw over;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(Math.max(n, 0), 8192)];
        int got = read(buf, 0, buf.length);
        return Math.max(got, 0);
    }

    @Override
    public void close() {
        sent.close();
    }
}
