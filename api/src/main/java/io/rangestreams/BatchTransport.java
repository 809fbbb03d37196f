package io.rangestreams;

import io.rangestreams.spi.BodyReading;
import io.rangestreams.spi.FillingBody;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * The client's transport as one URI of a {@link Batch} sees it: it counts the body bytes that arrive, and
 * keeps the bodies open now so that cancelling the batch can close them from another thread, which ends
 * a read blocked on the socket (an interrupt does not, for clients that read the socket on the caller's
 * thread). Leaves the client's transport open when closed.
 */
final class BatchTransport implements RangeTransport {

    private final RangeTransport delegate;
    private final LongConsumer received;
    private final Set<Body> open = ConcurrentHashMap.newKeySet();
    private volatile boolean aborted;

    BatchTransport(RangeTransport delegate, LongConsumer received) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.received = Objects.requireNonNull(received, "received");
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public RangeResponse send(RangeRequest request) throws IOException {
        if (aborted) {
            throw cancelled(request);
        }
        RangeResponse response = delegate.send(request);
        InputStream in = response.body();
        Body body = in instanceof FillingBody ? new FillingCountingBody(in) : new Body(in);
        open.add(body);
        // Checked after adding, so a cancel between send and here still finds the body to close.
        if (aborted) {
            body.close();
            throw cancelled(request);
        }
        return new RangeResponse(response.status(), response.uri(), response.headers(), body);
    }

    private static InterruptedIOException cancelled(RangeRequest request) {
        return new InterruptedIOException("batch cancelled: " + request.method() + " " + request.uri());
    }

    /** Closes every body open now and refuses further requests; from any thread. */
    void abort() {
        aborted = true;
        for (Body body : List.copyOf(open)) {
            try {
                body.close();
            } catch (IOException | RuntimeException e) {
                // The body's connection is given up either way; the reader sees the failure.
            }
        }
    }

    @Override
    public Set<Capability> capabilities() {
        return delegate.capabilities();
    }

    @Override
    public BodyReading bodyReading() {
        return delegate.bodyReading();
    }

    /** Does nothing: the transport is the client's. */
    @Override
    public void close() {}

    @Override
    public String toString() {
        return "batch over " + delegate;
    }

    /** A body that reports the bytes read from it and leaves the open set when closed. */
    private class Body extends FilterInputStream {

        Body(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                received.accept(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return counted(super.read(b, off, len));
        }

        final int counted(int n) {
            if (n > 0) {
                received.accept(n);
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            open.remove(this);
            super.close();
        }
    }

    /** The same for a body the engine fills in one wait per chunk. */
    private final class FillingCountingBody extends Body implements FillingBody {

        FillingCountingBody(InputStream in) {
            super(in);
        }

        @Override
        public int fill(byte[] b, int off, int len) throws IOException {
            return counted(((FillingBody) in).fill(b, off, len));
        }
    }
}
