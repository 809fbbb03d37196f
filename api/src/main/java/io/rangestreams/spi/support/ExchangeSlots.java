package io.rangestreams.spi.support;

import io.rangestreams.spi.TransportOptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds the exchanges a transport has in flight, and so its connections to a host, for HTTP clients
 * that cannot limit connections per host themselves (the JDK client; OkHttp for synchronous calls):
 * {@link TransportOptions#maxConnections()} is enforced here. A slot is taken before a request is sent
 * and given back when its body ends or is closed.
 *
 * <p>Thread-safe.
 */
public final class ExchangeSlots {

    private final int max;
    private final Duration wait;
    private final Semaphore permits;

    /**
     * At most {@code max} exchanges at once; a caller waits at most {@code wait} for a slot.
     *
     * @throws IllegalArgumentException if {@code max} is not positive
     */
    public ExchangeSlots(int max, Duration wait) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, was " + max);
        }
        this.max = max;
        this.wait = wait;
        this.permits = new Semaphore(max, true);
    }

    /**
     * Takes a slot, waiting at most the configured time.
     *
     * @return gives the slot back; running it more than once does nothing
     */
    public Runnable acquire(Object request) throws IOException {
        try {
            if (!permits.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new IOException("no connection free for " + request + " within " + wait + ": all " + max
                        + " are in use (maxConnections " + max + "; are earlier responses closed?)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for a connection for " + request);
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                permits.release();
            }
        };
    }
}
