package io.rangestreams.internal;

import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A client's background fetch threads (readahead, parallel gaps), and closing them with its transport and store. */
public final class FetchThreads {

    private static final Log LOG = Log.of(FetchThreads.class);
    /** How long closing waits at most for background fetches to stop. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private FetchThreads() {}

    /** A pool of daemon threads named {@code range-streams-fetch-N}. */
    public static ExecutorService newExecutor() {
        AtomicInteger n = new AtomicInteger();
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "range-streams-fetch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Stops the background fetches, closes the transport, waits up to {@link #CLOSE_WAIT} for the fetches
     * to stop (one blocked on a stalled server may take longer: it is left to its read timeout), then closes
     * the store.
     *
     * @throws UncheckedIOException if the store fails to close
     */
    public static void close(ExecutorService executor, RangeTransport transport, RangeStore store) {
        executor.shutdownNow();
        try {
            transport.close();
        } finally {
            try {
                // Else a readahead started just before close could send its request after it.
                if (!executor.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.debug("background fetches still running {0} after close",
                            CLOSE_WAIT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                store.close();
            } catch (IOException e) {
                throw new UncheckedIOException("closing store " + store.name(), e);
            }
        }
    }
}
