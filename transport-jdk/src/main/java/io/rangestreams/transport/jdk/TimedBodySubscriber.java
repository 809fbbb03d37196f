package io.rangestreams.transport.jdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A response body as an {@link InputStream} whose reads wait at most the read timeout for the next bytes.
 *
 * <p>Why: the JDK client's request timeout covers only the wait for the response headers, and
 * {@code BodyHandlers.ofInputStream()} then blocks for as long as a server stalls mid-body. Here the
 * body's buffers arrive through a {@link Flow.Subscriber}, at most {@link #AHEAD} batches ahead of the
 * reader (so the body is streamed, never buffered whole, yet the client keeps reading the socket while
 * the caller works on earlier bytes), and a read that waits
 * longer than the timeout cancels the exchange and throws {@link HttpTimeoutException}.
 *
 * <p>{@code onEnd} runs once, when the body ends, fails, times out or is closed.
 */
final class TimedBodySubscriber extends InputStream implements HttpResponse.BodySubscriber<InputStream> {

    private static final Object END = new Object();
    /** Batches requested ahead of the reader; one at a time stalls the socket whenever the reader works. */
    static final int AHEAD = 8;

    private final URI uri;
    private final Duration timeout;
    private final Runnable onEnd;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Flow.Subscription subscription;
    private Iterator<ByteBuffer> batch = List.<ByteBuffer>of().iterator();
    private ByteBuffer current = ByteBuffer.allocate(0);
    private boolean eof;
    private volatile boolean closed;

    TimedBodySubscriber(URI uri, Duration timeout, Runnable onEnd) {
        this.uri = uri;
        this.timeout = timeout;
        this.onEnd = onEnd;
    }

    // ---- Flow.Subscriber side (called by the client's threads) -------------------------------------

    @Override
    public CompletionStage<InputStream> getBody() {
        return CompletableFuture.completedFuture(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (closed) {
            s.cancel();
        } else {
            s.request(AHEAD);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable error) {
        queue.add(error);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    // ---- InputStream side (the caller's thread) ----------------------------------------------------

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        if (closed) {
            throw new IOException("body of " + uri + " is closed");
        }
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, current.remaining());
        current.get(buf, off, n);
        return n;
    }

    @Override
    public int available() {
        return current.remaining();
    }

    /** Makes {@code current} hold bytes; false at the end of the body. */
    private boolean fill() throws IOException {
        while (!current.hasRemaining()) {
            if (batch.hasNext()) {
                current = batch.next();
                continue;
            }
            if (eof) {
                return false;
            }
            if (ended.get()) {
                throw new IOException("body of " + uri + " was abandoned after an earlier failure");
            }
            Object item;
            try {
                item = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                end(true);
                throw new InterruptedIOException("interrupted reading the body of " + uri);
            }
            if (item == null) {
                end(true);
                throw new HttpTimeoutException("read timed out: no body bytes from " + uri + " for " + timeout);
            }
            if (item == END) {
                eof = true;
                end(false);
                return false;
            }
            if (item instanceof Throwable t) {
                end(false);
                throw t instanceof IOException io ? new IOException("reading the body of " + uri + " failed: " + io, io)
                        : new IOException("reading the body of " + uri + " failed", t);
            }
            @SuppressWarnings("unchecked")
            List<ByteBuffer> buffers = (List<ByteBuffer>) item;
            batch = buffers.iterator();
            subscription.request(1);
        }
        return true;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            end(!eof);
            queue.clear();
        }
    }

    /** Runs {@code onEnd} once, cancelling the exchange first if the body is not complete. */
    private void end(boolean cancel) {
        if (ended.compareAndSet(false, true)) {
            Flow.Subscription s = subscription;
            if (cancel && s != null) {
                s.cancel();
            }
            onEnd.run();
        }
    }
}
