package io.rangestreams;

import io.rangestreams.internal.Log;
import io.rangestreams.spi.RangeTransport;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Batch} at work, from {@link Batch#start}: wait for its outcomes, or cancel it.
 *
 * <p>Thread-safe.
 *
 * @param <T> the value made from each URI
 */
public final class BatchRun<T> {

    private static final Log LOG = Log.of(BatchRun.class);
    private static final AtomicInteger RUNS = new AtomicInteger();

    /** One URI's work: opens its stream through the given transport, applies the function, closes it. */
    @FunctionalInterface
    interface UriWork<T> {
        T run(URI uri, RangeTransport through) throws IOException;
    }

    /** A URI at work: the thread doing it and its transport, which cancelling interrupts and aborts. */
    private static final class Active {
        private final Thread thread;
        private final BatchTransport transport;
        private boolean working = true;

        Active(Thread thread, BatchTransport transport) {
            this.thread = thread;
            this.transport = transport;
        }

        synchronized void stop() {
            transport.abort();
            if (working) {
                thread.interrupt();
            }
        }

        /** Ends the work; an interrupt meant for it that came late is cleared by the caller. */
        synchronized void end() {
            working = false;
        }
    }

    private final List<URI> uris;
    private final UriWork<T> work;
    private final RangeTransport transport;
    private final BatchListener listener;
    private final HostQueue queue;
    private final Outcome<?>[] outcomes;
    private final Map<Integer, Active> active = new ConcurrentHashMap<>();
    private final CompletableFuture<List<Outcome<T>>> result = new CompletableFuture<>();
    private final AtomicInteger workersLeft;
    private final long startNanos = System.nanoTime();
    private volatile boolean cancelled;

    /** Guards the counters below and orders the listener's calls. */
    private final Object progressLock = new Object();
    private int started;
    private int done;
    private int failed;
    private long bytes;

    BatchRun(List<URI> uris, int jobs, int jobsPerHost, BatchListener listener, RangeTransport transport,
            UriWork<T> work) {
        this.uris = uris;
        this.work = work;
        this.transport = transport;
        this.listener = listener;
        this.queue = new HostQueue(uris, jobsPerHost);
        this.outcomes = new Outcome<?>[uris.size()];
        int workers = Math.min(jobs, uris.size());
        this.workersLeft = new AtomicInteger(workers);
        if (workers == 0) {
            result.complete(List.of());
            return;
        }
        int run = RUNS.incrementAndGet();
        for (int i = 1; i <= workers; i++) {
            Thread t = new Thread(this::work, "range-streams-batch-" + run + "-" + i);
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * Waits until every URI is done and returns their outcomes, in the order the URIs were given.
     *
     * @throws InterruptedException if interrupted while waiting (the batch goes on; see {@link #cancel()})
     */
    public List<Outcome<T>> await() throws InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            // Only an Error thrown by the work ends a batch exceptionally.
            throw (Error) e.getCause();
        }
    }

    /** Completes with the outcomes, in order, when every URI is done. */
    public CompletionStage<List<Outcome<T>>> outcomes() {
        return result.minimalCompletionStage();
    }

    /** Whether every URI is done. */
    public boolean isDone() {
        return result.isDone();
    }

    /** Where the batch stands now. */
    public BatchProgress progress() {
        synchronized (progressLock) {
            return snapshot();
        }
    }

    /**
     * Cancels the batch: no URI starts after this, and those at work are stopped, their requests in
     * flight too (their response bodies are closed and their threads interrupted). Every URI not done
     * ends as a {@link Outcome.Failure} with a {@link CancellationException}, unless its work finished
     * anyway. Returns at once; {@link #await()} returns when the last URI at work has stopped.
     * Idempotent.
     */
    public void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        // Counted as one more worker, so that the outcomes are complete before the last one ends.
        workersLeft.incrementAndGet();
        try {
            List<Integer> never = queue.close();
            active.values().forEach(Active::stop);
            for (int i : never) {
                finish(i, new Outcome.Failure<>(uris.get(i),
                        new CancellationException("batch cancelled before " + uris.get(i) + " started")), true);
            }
        } finally {
            if (workersLeft.decrementAndGet() == 0) {
                complete();
            }
        }
    }

    private void work() {
        try {
            for (OptionalInt next = queue.take(); next.isPresent(); next = queue.take()) {
                int i = next.getAsInt();
                try {
                    finish(i, runOne(i), false);
                } finally {
                    queue.release(i);
                }
            }
        } catch (InterruptedException e) {
            // Cancelled while waiting for a host to have room: nothing left to do.
        } catch (Error e) {
            result.completeExceptionally(e);
            cancel();
            throw e;
        } finally {
            if (workersLeft.decrementAndGet() == 0) {
                complete();
            }
        }
    }

    private Outcome<T> runOne(int i) {
        URI uri = uris.get(i);
        BatchTransport through = new BatchTransport(transport, n -> received(uri, n));
        Active me = new Active(Thread.currentThread(), through);
        active.put(i, me);
        if (cancelled) {
            me.stop();
        }
        started(uri);
        try {
            return new Outcome.Success<>(uri, work.run(uri, through));
        } catch (IOException | RuntimeException e) {
            if (cancelled) {
                CancellationException c = new CancellationException("batch cancelled while " + uri + " was at work");
                c.initCause(e);
                return new Outcome.Failure<>(uri, c);
            }
            return new Outcome.Failure<>(uri, e);
        } finally {
            me.end();
            active.remove(i);
            Thread.interrupted();
        }
    }

    private void complete() {
        @SuppressWarnings("unchecked")
        List<Outcome<T>> list = (List<Outcome<T>>) (List<?>) Arrays.asList(outcomes.clone());
        result.complete(List.copyOf(list));
    }

    private BatchProgress snapshot() {
        return new BatchProgress(uris.size(), started, done, failed, bytes,
                Duration.ofNanos(System.nanoTime() - startNanos));
    }

    private void started(URI uri) {
        synchronized (progressLock) {
            started++;
            BatchProgress p = snapshot();
            tell(() -> listener.started(uri, p));
        }
    }

    private void received(URI uri, long n) {
        synchronized (progressLock) {
            bytes += n;
            BatchProgress p = snapshot();
            tell(() -> listener.received(uri, n, p));
        }
    }

    /** Records a URI's outcome; one cancelled before it started counts as started too, silently. */
    private void finish(int i, Outcome<T> outcome, boolean neverStarted) {
        synchronized (progressLock) {
            outcomes[i] = outcome;
            if (neverStarted) {
                started++;
            }
            if (!outcome.succeeded()) {
                failed++;
            }
            done++;
            BatchProgress p = snapshot();
            tell(() -> listener.finished(outcome, p));
        }
    }

    private void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warning("batch listener " + listener + " threw", e);
        }
    }
}
