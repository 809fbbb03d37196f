package io.rangestreams.transport.jdk;

import io.rangestreams.spi.FillingBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A response body as an {@link InputStream} whose reads wait at most the read timeout for the next bytes.
 *
 * <p>Why: the JDK client's request timeout covers only the wait for the response headers, and
 * {@code BodyHandlers.ofInputStream()} then blocks for as long as a server stalls mid-body. Here the
 * body's buffers arrive through a {@link Flow.Subscriber}, at most {@link #AHEAD_BYTES} ahead of the
 * reader (so the body is streamed, never buffered whole, yet the client keeps reading the socket while
 * the caller works on earlier bytes), and a read that waits longer than the timeout cancels the
 * exchange and throws {@link HttpTimeoutException}.
 *
 * <p>{@link #fill} lets the client's thread copy each buffer straight into the reader's array and wake
 * the reader once the array is full. Waking a parked thread was a third of the selector thread's time
 * in a 1 GiB read (a {@code futex} wake per 16 KiB buffer, costly on a virtual machine), and that
 * thread is the one that limits the JDK client's speed.
 *
 * <p>{@code onEnd} runs once, when the body ends, fails, times out or is closed.
 */
final class TimedBodySubscriber extends InputStream implements HttpResponse.BodySubscriber<InputStream>, FillingBody {

    /** Bytes received and not yet read beyond which no more are asked for; 8 of the client's 16 KiB buffers. */
    static final int AHEAD_BYTES = 128 * 1024;

    private final URI uri;
    private final Duration timeout;
    private final Runnable onEnd;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a waiting reader has what it waits for, or the body ends, fails or is closed. */
    private final Condition changed = lock.newCondition();
    private volatile Flow.Subscription subscription;

    // Guarded by lock.
    private final ReceivedBuffers received = new ReceivedBuffers();
    private boolean asking = true; // a batch is asked for and not yet delivered (onSubscribe asks the first)
    private long batches; // delivered so far: a wait that sees it grow has not stalled
    private boolean complete;
    private Throwable failure;
    private boolean closed;
    private boolean waitingForAny; // a read() waits for the next buffer
    private byte[] target; // a fill() waits: the client's thread copies into target[targetAt, targetEnd)
    private int targetAt;
    private int targetEnd;
    private IOException deferred; // a failure a fill() returned the bytes before; thrown by the next read

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
        lock.lock();
        try {
            if (closed) {
                s.cancel();
                return;
            }
        } finally {
            lock.unlock();
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> batch) {
        boolean askMore;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            batches++;
            for (ByteBuffer b : batch) {
                if (target != null && targetAt < targetEnd) {
                    int n = Math.min(b.remaining(), targetEnd - targetAt);
                    b.get(target, targetAt, n);
                    targetAt += n;
                }
                received.add(b);
            }
            if (target != null ? targetAt == targetEnd : waitingForAny && received.bytes() > 0) {
                changed.signal();
            }
            askMore = received.bytes() < AHEAD_BYTES;
            asking = askMore;
        } finally {
            lock.unlock();
        }
        if (askMore) {
            subscription.request(1);
        }
    }

    @Override
    public void onError(Throwable error) {
        lock.lock();
        try {
            failure = error;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onComplete() {
        lock.lock();
        try {
            complete = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    // ---- InputStream side (the caller's thread) ----------------------------------------------------

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        boolean ask;
        int n;
        lock.lock();
        try {
            requireReadable();
            waitingForAny = true;
            try {
                awaitUntil(() -> received.bytes() > 0 || complete || failure != null);
            } finally {
                waitingForAny = false;
            }
            n = received.take(len);
            if (n == 0) {
                return endOfBody();
            }
            ask = askIfBelowAhead();
        } finally {
            lock.unlock();
        }
        askThenCopyTaken(ask, b, off);
        return n;
    }

    @Override
    public int fill(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int taken;
        boolean waits;
        boolean ask;
        lock.lock();
        try {
            requireReadable();
            taken = received.take(len);
            waits = taken < len && !complete && failure == null;
            if (waits) {
                // The client's thread copies what comes next behind the bytes taken, while this one copies those.
                target = b;
                targetAt = off + taken;
                targetEnd = off + len;
            }
            ask = askIfBelowAhead();
        } finally {
            lock.unlock();
        }
        askThenCopyTaken(ask, b, off);
        lock.lock();
        try {
            if (!waits) {
                return filled(taken);
            }
            try {
                awaitUntil(() -> targetAt == targetEnd || complete || failure != null);
            } catch (IOException e) {
                return keepOrThrow(targetAt - off, e);
            } finally {
                target = null;
            }
            return filled(targetAt - off);
        } finally {
            lock.unlock();
        }
    }

    /**
     * What {@link #fill} returns once {@code n} bytes are in the array: {@code n}, the failure, or -1
     * at the end. Called under the lock.
     */
    private int filled(int n) throws IOException {
        if (n == 0) {
            return endOfBody();
        }
        // A failure comes after every byte received before it: thrown once they are all read.
        return failure != null && received.bytes() == 0 ? keepOrThrow(n, failed()) : n;
    }

    /** Returns the {@code n} bytes read before {@code e}, to throw {@code e} at the next read; or throws it. */
    private int keepOrThrow(int n, IOException e) throws IOException {
        if (n == 0) {
            throw e;
        }
        deferred = e;
        return n;
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return (int) Math.min(received.bytes(), Integer.MAX_VALUE);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            received.clear();
            changed.signal();
        } finally {
            lock.unlock();
        }
        end(true);
    }

    /** Throws unless the body can be read on. Called under the lock. */
    private void requireReadable() throws IOException {
        if (closed) {
            throw new IOException("body of " + uri + " is closed");
        }
        if (deferred != null) {
            IOException e = deferred;
            deferred = null;
            throw e;
        }
        if (ended.get() && !complete) {
            throw new IOException("body of " + uri + " was abandoned after an earlier failure");
        }
    }

    /**
     * Waits until {@code done} holds, for as long as batches keep arriving (the body may be slow; it
     * must not stall longer than the read timeout). Called under the lock.
     *
     * @throws HttpTimeoutException if no batch arrived for the read timeout
     */
    private void awaitUntil(BooleanSupplier done) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen = batches;
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 && batches == seen) {
                endOutsideLock();
                throw new HttpTimeoutException("read timed out: no body bytes from " + uri + " for " + timeout);
            }
            if (batches != seen) {
                seen = batches;
                deadline = System.nanoTime() + timeout.toNanos();
                continue;
            }
            try {
                changed.awaitNanos(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                endOutsideLock();
                throw new InterruptedIOException("interrupted reading the body of " + uri);
            }
            if (closed) {
                throw new IOException("body of " + uri + " was closed while being read");
            }
        }
    }

    /**
     * Outside the lock: asks for the next batch first (when {@code ask}), so the client reads the
     * socket while this thread copies what it took.
     */
    private void askThenCopyTaken(boolean ask, byte[] b, int off) {
        if (ask) {
            subscription.request(1);
        }
        received.copyTaken(b, off);
    }

    /** Whether to ask for another batch, now that bytes were taken; marks it asked. Called under the lock. */
    private boolean askIfBelowAhead() {
        if (asking || complete || failure != null || received.bytes() >= AHEAD_BYTES) {
            return false;
        }
        asking = true;
        return true;
    }

    /** -1 at a normal end; the failure otherwise. Called under the lock with nothing received. */
    private int endOfBody() throws IOException {
        if (failure != null) {
            throw failed();
        }
        end(false);
        return -1;
    }

    /** The body's failure as the exception to throw, ending the body. Called under the lock. */
    private IOException failed() {
        end(false);
        return failure instanceof IOException io ? new IOException("reading the body of " + uri + " failed: " + io, io)
                : new IOException("reading the body of " + uri + " failed", failure);
    }

    /**
     * Ends the body, cancelling the exchange, with the lock let go meanwhile: the client's thread may be
     * waiting for the lock in {@link #onNext}, and the cancel must not wait on it. Called under the lock.
     */
    private void endOutsideLock() {
        lock.unlock();
        try {
            end(true);
        } finally {
            lock.lock();
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
