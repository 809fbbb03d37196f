package io.rangestreams.internal;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.RangeStreamException;
import io.rangestreams.StreamBuffer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What is in flight and who waits for what: makes sure bytes are held by sending requests for the gaps
 * only, sharing requests already on their way, and running the planned requests in parallel.
 */
final class SingleFlight {

    static final int MAX_ROUNDS = 64;
    /**
     * How many bytes past its read a reader that ran out of a streaming fetch's bytes waits for as well
     * (of those the fetch is to bring): it then wakes once per this many bytes instead of once per chunk.
     */
    private static final long WAKE_BATCH = 4L * Receiver.CHUNK;
    /** How long a reader whose own bytes are held waits at most for the rest of its {@link #WAKE_BATCH}. */
    private static final long BATCH_WAIT_MILLIS = 10;

    private final StreamContext context;
    private final ResourceState state;
    private final Planner planner;
    private final ExecutorService executor;
    private final ResumingFetch fetch;
    private final StreamingReadahead streaming;
    private final Discovery discovery;
    private final VersionSync versions;
    private final MultiRangeFetch multi;

    SingleFlight(StreamContext context, ResourceState state, ExecutorService executor, ResumingFetch fetch,
            StreamingReadahead streaming, Discovery discovery, VersionSync versions, MultiRangeFetch multi) {
        this.context = context;
        this.state = state;
        this.planner = new Planner(context.options());
        this.executor = executor;
        this.fetch = fetch;
        this.streaming = streaming;
        this.discovery = discovery;
        this.versions = versions;
        this.multi = multi;
    }

    Planner planner() {
        return planner;
    }

    /**
     * Makes sure every byte of {@code wanted} is held (validating held bytes first if needed), sending
     * requests for the gaps only and sharing requests already in flight.
     *
     * @param exact whether to fetch just the gaps as named ({@code fetch}, {@code fetchAll}) rather
     *     than widened to whole blocks (reads)
     * @return the version generation the bytes belong to
     */
    long ensure(RangeSet wanted, boolean exact) throws IOException {
        versions.loadHeld();
        IOException failure = null;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<Range> mine;
            List<CompletableFuture<Void>> waits = new ArrayList<>();
            List<InFlight> streams = new ArrayList<>(); // the streaming fetches among those waited for
            List<InFlight> registered = new ArrayList<>();
            boolean validate;
            StreamBuffer buffer;
            long gen;
            synchronized (state) {
                buffer = state.fallback;
                gen = state.versions.generation();
            }
            if (buffer != null) {
                long last = wanted.isEmpty() ? 0 : wanted.ranges().get(wanted.size() - 1).stop();
                buffer.read(Math.max(0, last - 1), 1);
                return gen;
            }
            RangeSet held;
            RangeSet missing;
            RangeSet awaitedBytes = RangeSet.EMPTY;
            synchronized (state) {
                // Read under the lock: a request that finished between this read and the lock would
                // otherwise look neither held nor in flight, and be sent again.
                held = context.store().ranges(context.key());
                missing = held.encloses(wanted) ? RangeSet.EMPTY : wanted.minus(held);
                validate = state.versions.needsValidation(!held.isEmpty());
                if (missing.isEmpty()) {
                    if (!validate) {
                        return state.versions.generation();
                    }
                    mine = List.of();
                } else {
                    RangeSet flying = flying();
                    awaitedBytes = missing;
                    for (InFlight f : state.inFlight) {
                        if (!f.done().isDone() && !missing.intersect(f.brings()).isEmpty()) {
                            waits.add(f.done());
                            if (f.streaming) {
                                awaitedBytes = awaitedBytes.union(wakeBatch(missing, f));
                                streams.add(f);
                            }
                        }
                    }
                    long length = state.versions.versionOrNull() == null ? -1 : state.versions.versionOrNull().length();
                    mine = exact ? planner.planExact(missing.minus(flying), held.union(flying), length)
                            : planner.plan(missing.minus(flying), held.union(flying), length);
                    for (Range r : mine) {
                        InFlight f = new InFlight(r, "fetch");
                        state.inFlight.add(f);
                        registered.add(f);
                    }
                }
            }
            if (mine.isEmpty() && waits.isEmpty() && validate) {
                discovery.validateHeld();
                continue;
            }
            runAll(registered);
            if (streaming.readersReadStreams() && !streams.isEmpty()) {
                streaming.readStreams(streams, missing);
                awaitedBytes = missing;
            }
            IOException othersFailed = awaitShared(waits, missing, awaitedBytes);
            if (othersFailed != null) {
                failure = othersFailed; // another reader's request failed: fetch it ourselves next round
            } else {
                // Every gap was fetched. Do not insist that all of it is still held: in a small store
                // other readers may evict some at once, and the caller copies what is there and asks
                // again for the rest (asking here would livelock under that churn).
                synchronized (state) {
                    return state.versions.generation();
                }
            }
        }
        throw new RangeStreamException("could not fetch " + wanted + " of " + context.uri() + " after " + MAX_ROUNDS
                + " rounds", failure);
    }

    /**
     * The bytes that streaming fetch {@code f} brings right after {@code missing}, at most
     * {@link #WAKE_BATCH} of them (none when {@code f} ends before): a reader waiting for
     * {@code missing} waits for these too. Under the lock.
     */
    private static Range wakeBatch(RangeSet missing, InFlight f) {
        long from = missing.ranges().get(missing.size() - 1).stop();
        return Range.of(from, Math.max(from, Math.min(from + WAKE_BATCH, f.range().stop())));
    }

    /**
     * Waits until the bytes {@code awaitedBytes} (the bytes {@code missing} and maybe a
     * {@link #wakeBatch} after them) are held or the shared requests are done. A sequential reader thus
     * goes on as soon as its bytes of a large readahead window have arrived.
     *
     * @return the failure of a shared request, when the bytes {@code missing} are not held; else null
     */
    private IOException awaitShared(List<CompletableFuture<Void>> waits, RangeSet missing, RangeSet awaitedBytes)
            throws IOException {
        if (waits.isEmpty()) {
            return null;
        }
        String key = context.key();
        synchronized (state) {
            // A fetch notifies the lock when it has stored all a waiting reader's bytes, and when it ends.
            // A slow server may take long to bring the batch: the reader then checks every
            // BATCH_WAIT_MILLIS and goes on with its own bytes.
            boolean batched = !awaitedBytes.equals(missing);
            boolean waited = false;
            state.awaited.add(awaitedBytes);
            try {
                while (!context.store().ranges(key).encloses(awaitedBytes)
                        && !waits.stream().allMatch(CompletableFuture::isDone)
                        && !(waited && context.store().ranges(key).encloses(missing))) {
                    try {
                        state.wait(batched ? BATCH_WAIT_MILLIS : 0);
                        waited = batched;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted waiting for a fetch of " + context.uri());
                    }
                }
            } finally {
                state.awaited.remove(awaitedBytes);
            }
            if (context.store().ranges(key).encloses(missing)) {
                return null;
            }
        }
        for (CompletableFuture<Void> w : waits) {
            try {
                w.getNow(null);
            } catch (CompletionException | CancellationException e) {
                return asIOException(e.getCause() != null ? e.getCause() : e);
            }
        }
        return null;
    }

    /** Whether the store holds {@code r} or it is being fetched now. */
    boolean heldOrFlyingEncloses(Range r) throws IOException {
        synchronized (state) {
            RangeSet held = context.store().ranges(context.key());
            return held.encloses(r) || held.union(flying()).encloses(r);
        }
    }

    /**
     * The ranges of requests still running. A request that has ended (stored or failed) counts no
     * more, even before it leaves the list: a reader that saw it fail must fetch the bytes itself, not
     * wait on it again. Under the lock.
     */
    RangeSet flying() {
        if (state.inFlight.isEmpty()) {
            return RangeSet.EMPTY;
        }
        List<Range> flying = new ArrayList<>(state.inFlight.size());
        for (InFlight f : state.inFlight) {
            if (!f.done().isDone()) {
                flying.add(f.brings());
            }
        }
        return RangeSet.ofAll(flying);
    }

    /**
     * Runs the planned requests, in this thread and up to {@code parallelism - 1} helpers that all take
     * the next request from one queue (so a slow request does not hold back a fixed share of the
     * plan). A batch of several goes as one multi-range request ({@link MultiRangeFetch#batches}). After
     * the first failure the requests not yet started are failed rather than sent, so readers waiting on
     * them fetch for themselves.
     */
    private void runAll(List<InFlight> planned) throws IOException {
        if (planned.isEmpty()) {
            return;
        }
        Queue<List<InFlight>> queue = new ConcurrentLinkedQueue<>(multi.batches(planned));
        AtomicReference<Exception> failure = new AtomicReference<>();
        int helpers = Math.min(context.options().parallelism(), queue.size()) - 1;
        List<Future<?>> others = new ArrayList<>();
        try {
            for (int i = 0; i < helpers; i++) {
                others.add(executor.submit(() -> drain(queue, failure)));
            }
        } catch (RejectedExecutionException e) {
            // The client is closing: run what is left in this thread, where it fails fast.
        }
        drain(queue, failure);
        for (Future<?> f : others) {
            try {
                f.get();
            } catch (ExecutionException e) {
                failure.compareAndSet(null, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted fetching " + context.uri());
            }
        }
        Exception first = failure.get();
        if (first != null) {
            throw asIOException(first instanceof ExecutionException ? first.getCause() : first);
        }
    }

    private Void drain(Queue<List<InFlight>> queue, AtomicReference<Exception> failure) {
        List<InFlight> batch;
        while ((batch = queue.poll()) != null) {
            Exception first = failure.get();
            if (first != null) {
                batch.forEach(f -> abandon(f, first));
                continue;
            }
            try {
                if (batch.size() == 1) {
                    run(batch.get(0));
                } else {
                    runTogether(batch);
                }
            } catch (IOException | RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }
        return null;
    }

    /**
     * Runs registered fetches as one multi-range request, then fetches what it did not bring one range per
     * request; each fetch ends as a single one does.
     */
    private void runTogether(List<InFlight> batch) throws IOException {
        RangeSet brought;
        try {
            brought = multi.fetch(batch.stream().map(InFlight::range).toList(), batch.get(0).purpose);
        } catch (IOException | RuntimeException | Error e) {
            batch.forEach(f -> abandon(f, e instanceof Exception ex ? ex : new RangeStreamException(e.toString(), e)));
            throw e;
        }
        Throwable first = null;
        for (InFlight f : batch) {
            if (first != null) {
                abandon(f, first instanceof Exception ex ? ex : new RangeStreamException(first.toString(), first));
                continue;
            }
            try {
                for (Range gap : RangeSet.of(f.range()).minus(brought)) {
                    fetch.fetch(gap, f.purpose);
                }
                f.done().complete(null);
            } catch (IOException | RuntimeException | Error e) {
                f.done().completeExceptionally(e);
                first = e;
            } finally {
                synchronized (state) {
                    state.inFlight.remove(f);
                    state.notifyAll();
                }
            }
        }
        if (first != null) {
            throw asIOException(first);
        }
    }

    /** Runs one registered fetch to its end (or, for a streaming one, until its readers take it over). */
    void run(InFlight f) throws IOException {
        boolean ended = true; // else a streaming fetch was handed over to its readers, who end it
        try {
            if (f.streaming) {
                ended = streaming.stream(f);
            } else {
                fetch.fetch(f.range(), f.purpose);
            }
            if (ended) {
                f.done().complete(null);
            }
        } catch (IOException | RuntimeException | Error e) {
            f.done().completeExceptionally(e);
            throw e;
        } finally {
            if (ended) {
                synchronized (state) {
                    state.inFlight.remove(f);
                    state.notifyAll();
                }
            }
        }
    }

    /** Fails a registered fetch that will not run. */
    void abandon(InFlight f, Exception cause) {
        f.done().completeExceptionally(cause);
        synchronized (state) {
            state.inFlight.remove(f);
            state.notifyAll();
        }
    }

    static IOException asIOException(Throwable t) {
        if (t instanceof IOException io) {
            return io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return new IOException(t);
    }
}
