package io.rangestreams.internal;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.RangeStreamException;
import io.rangestreams.spi.BodyReading;
import io.rangestreams.spi.ResourceVersion;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Long streamed requests for a sequential reader: one request asks for many windows but its body is
 * read only as far as the reader has asked ({@link InFlight#range()}, which {@link #extend} moves on),
 * so fetched bytes never run more than a window ahead. The body is read by its fetching thread, or
 * handed over to the readers' threads when the transport's readers read bodies themselves, and given
 * up when no one reads it for {@link #STREAM_IDLE}. Who reads it is its {@link InFlight.Phase}.
 */
final class StreamingReadahead {

    private static final Log LOG = Log.of(StreamingReadahead.class);
    /** How long a streaming fetch waits for its reader to ask for more before it gives up the request. */
    private static final Duration STREAM_IDLE = Duration.ofSeconds(2);

    private final StreamContext context;
    private final ResourceState state;
    private final ExecutorService executor;
    private final Exchange exchange;
    private final ResumingFetch fetch;
    private final Receiver receiver;
    private final VersionSync versions;
    private final boolean readersReadStreams;

    StreamingReadahead(StreamContext context, ResourceState state, ExecutorService executor, Exchange exchange,
            ResumingFetch fetch, Receiver receiver, VersionSync versions, boolean readersReadStreams) {
        this.context = context;
        this.state = state;
        this.executor = executor;
        this.exchange = exchange;
        this.fetch = fetch;
        this.receiver = receiver;
        this.versions = versions;
        this.readersReadStreams = readersReadStreams;
    }

    /**
     * Whether a long read is to stream over two connections at once: when the client's one reading thread
     * is all that moves a body (a client reading on two threads of its own), or each read of a body on
     * the caller's thread costs a copy out of the client's buffer, one body does not keep up with the
     * network, and two, read by two threads, do.
     */
    static boolean twoConnections(BodyReading bodies) {
        return bodies.reader() == BodyReading.Reader.CLIENT && bodies.clientThreads() >= 2
                || bodies.reader() == BodyReading.Reader.CALLER && bodies.buffered();
    }

    /**
     * Whether a reader that caught up with a stream reads its body itself: when the client reads the
     * socket straight into the caller's array, a hand-off to a background thread costs more than it hides.
     */
    static boolean readersReadStreams(BodyReading bodies) {
        return bodies.reader() == BodyReading.Reader.CALLER && !bodies.buffered();
    }

    /** Whether a reader that caught up with a stream reads its body itself. */
    boolean readersReadStreams() {
        return readersReadStreams;
    }

    /**
     * A streaming fetch: one request from the start of {@code f}'s range to {@code f.requestStop}, read
     * as far as its reader has asked. When the reader stops for {@link #STREAM_IDLE}, jumps away or the
     * stream closes, the rest of the body is given up (closing it aborts the connection). Any other
     * answer than the expected 206 fails the fetch, and the readers waiting for it fetch their bytes
     * themselves, with retries.
     *
     * @return whether the fetch has ended; false when its body was handed over to its readers
     */
    boolean stream(InFlight f) throws IOException {
        ResourceVersion known;
        long gen;
        synchronized (state) {
            known = state.versions.versionOrNull();
            gen = state.versions.generation();
        }
        Range asked = Range.of(f.range().start(), f.requestStop);
        LOG.debug("GET {0} {1}, streamed as the reader advances", context.uri(), asked);
        ExchangeResult result = fetch.send(exchange.get(asked, Optional.of(known), f.purpose));
        if (!(result instanceof ExchangeResult.Partial partial)) {
            if (result instanceof ExchangeResult.WholeBody whole) {
                whole.sent().close();
            } else if (result instanceof ExchangeResult.Headers h) {
                h.sent().close();
            } else if (result instanceof ExchangeResult.NotModified nm) {
                nm.sent().close();
            }
            throw new RangeStreamException("streaming readahead of " + asked + " of " + context.uri()
                    + ": server answered otherwise than 206 (" + result + ")");
        }
        SentRequest sent = partial.sent();
        boolean handedOver = false;
        try {
            versions.learn(partial.version(), sent.response(), true);
            Receiver.Cursor cursor = new Receiver.Cursor(asked.start());
            InFlight.StreamBody body = new InFlight.StreamBody(sent, asked, partial.version(), gen, cursor);
            synchronized (state) {
                f.body = body;
            }
            while (cursor.position < f.requestStop) {
                long pos = cursor.position;
                Optional<Long> limit = awaitPromise(f, pos, gen);
                if (limit.isEmpty()) {
                    handedOver = true;
                    watchIdle(f, STREAM_IDLE.toNanos());
                    return false;
                }
                if (limit.get() <= pos || !readChunk(body, limit.get())) {
                    break;
                }
            }
            synchronized (state) {
                if (cursor.position < f.requestStop && f.phase != InFlight.Phase.STOPPED) {
                    throw new EOFException("body of " + asked + " of " + context.uri() + " ended after "
                            + (cursor.position - asked.start()) + " bytes");
                }
            }
            // Else the body was read to its end, or the reader stopped, went elsewhere or the stream
            // closed: the rest is given up (closing the response aborts its connection).
            return true;
        } catch (IOException e) {
            sent.failed(e);
            throw e;
        } finally {
            if (!handedOver) {
                sent.close();
            }
        }
    }

    /**
     * Waits until the reader has promised bytes past {@code pos}, at most {@link #STREAM_IDLE}; then
     * returns the promised end, or {@code pos} when the stream is to stop, or empty when a reader asked
     * to read the body itself: the fetching thread then steps back, and the readers read on from
     * {@code pos}.
     */
    private Optional<Long> awaitPromise(InFlight f, long pos, long gen) throws IOException {
        synchronized (state) {
            long deadline = System.nanoTime() + STREAM_IDLE.toNanos();
            long left;
            while (!state.closed && gen == state.versions.generation() && !f.readerDriven() && f.range().stop() <= pos
                    && (left = deadline - System.nanoTime()) > 0) {
                try {
                    state.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    f.phase = InFlight.Phase.STOPPED;
                    throw new InterruptedIOException("interrupted streaming " + context.uri());
                }
            }
            if (state.closed || gen != state.versions.generation() || f.range().stop() <= pos && !f.readerDriven()) {
                f.phase = InFlight.Phase.STOPPED;
                f.promise(Range.of(f.range().start(), pos));
                return Optional.of(pos);
            }
            if (f.readerDriven()) {
                f.phase = InFlight.Phase.HANDED_OVER;
                f.lastRead = System.nanoTime();
                state.notifyAll();
                return Optional.empty();
            }
            return Optional.of(f.range().stop());
        }
    }

    /**
     * Reads the bodies of {@code streams} on this (a reader's) thread, a chunk at a time, until
     * {@code missing} is held. A stream's fetching thread hands its body over at its next chunk, and
     * from then on whichever reader needs its bytes reads it, one reader at a time. Returns early when
     * no stream can bring more of {@code missing}; the caller then waits for the streams as any reader.
     */
    void readStreams(List<InFlight> streams, RangeSet missing) throws IOException {
        while (true) {
            InFlight turn = null;
            synchronized (state) {
                if (context.store().ranges(context.key()).encloses(missing)) {
                    return;
                }
                boolean pending = false; // a stream that may yet be read here
                for (InFlight f : streams) {
                    if (f.done().isDone()) {
                        continue;
                    }
                    if (f.phase == InFlight.Phase.FETCHING) {
                        f.phase = InFlight.Phase.READER_ASKED;
                        state.notifyAll(); // its fetching thread may wait for a promise
                    }
                    if (f.phase != InFlight.Phase.HANDED_OVER) {
                        pending = true; // handed over at its next chunk, or read by another reader now
                    } else if (!missing.intersect(f.brings()).isEmpty()) {
                        turn = f;
                        break;
                    }
                }
                if (turn == null) {
                    if (!pending) {
                        return;
                    }
                    try {
                        state.wait(); // a hand-over, a chunk read or a stream's end notifies
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted waiting for a stream of " + context.uri());
                    }
                    continue;
                }
                turn.phase = InFlight.Phase.READING;
            }
            readOn(turn);
        }
    }

    /**
     * A reader's turn at a handed-over stream: reads its next chunk, as far as readers have asked, into
     * the store. Ends the stream at the end of its body, when the body fails or is cut short (the
     * readers then fetch what they miss themselves, with retries), and when the stream has closed or the
     * version changed.
     */
    private void readOn(InFlight f) {
        InFlight.StreamBody body = f.body;
        Exception failure = null;
        try {
            long limit;
            synchronized (state) {
                limit = f.range().stop();
            }
            failure = readChunk(body, limit) ? null : new EOFException("body of " + body.asked() + " of "
                    + context.uri() + " ended after " + (body.cursor().position - body.asked().start()) + " bytes");
        } catch (IOException | RuntimeException e) {
            failure = e;
        } catch (Error e) {
            // An Error leaves the body where no one can tell, so the stream is not read again.
            failure = new RangeStreamException("reading the stream of " + body.asked() + " of " + context.uri()
                    + " failed");
            throw e;
        } finally {
            SentRequest ended = null;
            synchronized (state) {
                f.phase = InFlight.Phase.HANDED_OVER;
                f.lastRead = System.nanoTime();
                if (failure != null || body.cursor().position >= f.requestStop || state.closed
                        || state.versions.generation() != body.generation()) {
                    ended = end(f, failure);
                }
                state.notifyAll();
            }
            if (ended != null) {
                if (failure instanceof IOException io) {
                    ended.failed(io);
                }
                ended.close();
            }
        }
    }

    /**
     * Reads a streaming fetch's next chunk, up to {@code limit} (and the end of its request), into the
     * store; by its fetching thread, or by a reader once it is handed over.
     *
     * @return false when the body ended short of the chunk
     */
    private boolean readChunk(InFlight.StreamBody body, long limit) throws IOException {
        long pos = body.cursor().position;
        int want = (int) Math.min(Receiver.CHUNK, Math.min(limit, body.asked().stop()) - pos);
        return want <= 0
                || receiver.receiveChunk(body.sent().body(), body.asked(), pos, want, body.version(), body.cursor()) == want;
    }

    /**
     * Ends a streaming fetch handed over to its readers: it brings nothing more, leaves the fetches in
     * flight and completes ({@code failure} null: normally). Under the lock; returns the request, for the
     * caller to close outside it.
     */
    private SentRequest end(InFlight f, Exception failure) {
        f.phase = InFlight.Phase.STOPPED;
        state.inFlight.remove(f);
        if (failure == null) {
            f.done().complete(null);
        } else {
            f.done().completeExceptionally(failure);
        }
        state.notifyAll();
        return f.body.sent();
    }

    /** At close: ends the streams handed over to readers that no reader reads now (one read now ends with its read). Under the lock. */
    List<SentRequest> endIdleHandedOver() {
        List<SentRequest> ended = new ArrayList<>();
        for (InFlight f : List.copyOf(state.inFlight)) {
            if (f.phase == InFlight.Phase.HANDED_OVER) {
                ended.add(end(f, null));
            }
        }
        return ended;
    }

    /**
     * Checks after {@code delayNanos} whether a handed-over stream has been read in the last
     * {@link #STREAM_IDLE}, and ends it if not, as its fetching thread would have. The check runs on the
     * client's threads, or (once they are shut down) on the timer's.
     */
    private void watchIdle(InFlight f, long delayNanos) {
        Runnable check = () -> checkIdle(f);
        CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS, Runnable::run).execute(() -> {
            try {
                executor.execute(check);
            } catch (RejectedExecutionException e) {
                check.run();
            }
        });
    }

    private void checkIdle(InFlight f) {
        SentRequest ended = null;
        long left;
        synchronized (state) {
            if (f.done().isDone()) {
                return;
            }
            boolean reading = f.phase == InFlight.Phase.READING;
            left = reading ? STREAM_IDLE.toNanos() : f.lastRead + STREAM_IDLE.toNanos() - System.nanoTime();
            if (!reading && (left <= 0 || state.closed || state.versions.generation() != f.body.generation())) {
                LOG.debug("stream of {0} of {1} not read for {2}; given up", f.range(), context.uri(),
                        STREAM_IDLE);
                ended = end(f, null);
            }
        }
        if (ended != null) {
            ended.close();
        } else {
            watchIdle(f, left);
        }
    }

    /**
     * A sequential reader at {@code position} wants bytes up to {@code target}: a streaming fetch it is
     * reading from promises them (up to the first byte already held, which it would fetch again), and is
     * woken to fetch them. Under the lock.
     */
    void extend(long position, long target) throws IOException {
        for (InFlight f : state.inFlight) {
            Range promised = f.range();
            if (!f.streaming || f.phase == InFlight.Phase.STOPPED || f.done().isDone() || position > promised.stop()
                    || target <= promised.stop()) {
                continue;
            }
            long limit = Math.min(target, f.requestStop);
            RangeSet heldAhead = context.store().ranges(context.key())
                    .intersect(Range.of(promised.stop(), Math.max(promised.stop(), limit)));
            if (!heldAhead.isEmpty()) {
                limit = heldAhead.ranges().get(0).start();
            }
            if (limit > promised.stop()) {
                f.promise(Range.of(promised.start(), limit));
                state.notifyAll();
            }
        }
    }

    /**
     * Whether a streaming fetch in flight brings the bytes from {@code from} (or earlier) to {@code to}:
     * what a sequential reader's prefetch finds on nearly every read. Under the lock.
     */
    boolean brings(long from, long to) {
        for (InFlight f : state.inFlight) {
            Range r = f.range();
            if (f.streaming && !f.done().isDone() && r.start() <= from && r.stop() >= to) {
                return true;
            }
        }
        return false;
    }
}
