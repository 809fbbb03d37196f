package io.rangestreams.internal;

import io.rangestreams.ChangePolicy;
import io.rangestreams.HttpStatusException;
import io.rangestreams.Range;
import io.rangestreams.RangeEventListener;
import io.rangestreams.RangeNotSatisfiableException;
import io.rangestreams.RangeSet;
import io.rangestreams.RangeStream;
import io.rangestreams.RangeStreamException;
import io.rangestreams.ResourceChangedException;
import io.rangestreams.ResourceInfo;
import io.rangestreams.Revalidation;
import io.rangestreams.StreamBuffer;
import io.rangestreams.spi.ContentRange;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.ResourceVersion;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The engine's {@link RangeStream}: plans requests for the gaps of what callers want, sends them
 * through the transport, checks every response and keeps the bytes in the store.
 *
 * <p>All state that decides what to fetch is guarded by {@code lock}; requests and store writes run
 * outside it. Bytes of two versions never mix: the store refuses writes tagged with an old version,
 * and a read that saw the version change while it copied starts over.
 */
public final class HttpRangeStream implements RangeStream {

    private static final System.Logger LOG = System.getLogger(HttpRangeStream.class.getName());
    private static final int CHUNK = 256 * 1024;
    /**
     * How many bytes past its read a reader that ran out of a streaming fetch's bytes waits for as well
     * (of those the fetch is to bring). It then wakes once per this many bytes instead of once per
     * chunk, and the fetching thread, which wakes it, is preempted as seldom: through Apache's client,
     * 1 GiB went from about 3,000 reader wake-ups to 600 (README, "Performance").
     */
    private static final long WAKE_BATCH = 4L * CHUNK;
    /** How long a reader whose own bytes are held waits at most for the rest of its {@link #WAKE_BATCH}. */
    private static final long BATCH_WAIT_MILLIS = 10;
    private static final int MAX_ROUNDS = 64;
    private static final int DIRECT_AFTER_STALLS = 4;
    /** How long a streaming fetch waits for its reader to ask for more before it gives up the request. */
    private static final Duration STREAM_IDLE = Duration.ofSeconds(2);
    /** How many readahead windows one streaming request asks for (when more than maxRequestSize). */
    private static final int STREAM_WINDOWS = 32;
    /** What {@link #readHeld} answers when the bytes are not all held. */
    private static final int NOT_HELD = -2;
    /** What {@link #awaitPromise} answers when the fetching thread is to hand its stream to the readers. */
    private static final long HANDED_OVER = -1;

    private final URI uri;
    private final String key;
    private final RangeTransport transport;
    private final RangeStore store;
    private final EngineOptions options;
    private final ExecutorService executor;
    private final Planner planner;

    private final Object lock = new Object();
    private ResourceVersion version; // the version being served; null until known
    private boolean validated; // whether held bytes were checked against the server in this stream
    private boolean loaded; // whether the store's version was looked up
    private long generation; // incremented whenever the version changes
    private ResourceInfo info;
    private StreamBuffer fallback; // set when the server ignores Range
    private final List<InFlight> inFlight = new ArrayList<>();
    private CompletableFuture<Void> learning; // the first fetch, while it teaches the length; under the lock
    /** What each reader waiting in {@link #awaitShared} waits to be held; under the lock. */
    private final List<RangeSet> awaited = new ArrayList<>();
    private final Readahead readahead;
    private final long maxWindow;
    private final long streamSize;
    private final boolean readerReadsStream; // the transport's hint, see RangeTransport#readerReadsStream
    private volatile boolean closed;

    private final StreamContext context;
    private final RangeEventListener events;
    private final StreamStats stats = new StreamStats();

    /**
     * A range being fetched, and the future that completes when it is held (or failed). A streaming
     * fetch (see {@link #streamRange}) asks the server for everything up to {@code requestStop} but
     * promises only {@code range}, which its reader extends as it advances.
     */
    private static final class InFlight {
        private volatile Range range; // only a streaming fetch's grows, under the lock
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private final boolean streaming;
        private final String purpose; // fetch or readahead, as the request events say
        private final long requestStop;
        private boolean stopped; // a streaming fetch that takes no more promises; under the lock
        // A streaming fetch's body, once the response has come, and who reads it (all under the lock):
        private StreamBody body;
        private boolean readerDriven; // a reader asked to read it itself (RangeTransport#readerReadsStream)
        private boolean handedOver; // the fetching thread has stepped back: readers read it, one at a time
        private boolean reading; // a reader reads a chunk of it now
        private long lastRead; // System.nanoTime() when a reader last read a chunk of it, or it was handed over

        InFlight(Range range, String purpose) {
            this(range, false, range.stop(), purpose);
        }

        InFlight(Range range, boolean streaming, long requestStop, String purpose) {
            this.range = range;
            this.streaming = streaming;
            this.requestStop = requestStop;
            this.purpose = purpose;
        }

        Range range() {
            return range;
        }

        CompletableFuture<Void> done() {
            return done;
        }
    }

    /** The response of a streaming fetch, read one chunk at a time by whichever thread holds it. */
    private record StreamBody(SentRequest sent, Range asked, ResourceVersion version, long generation,
            Cursor cursor) {
    }

    /** Opens a stream over {@code uri}; sends nothing yet. */
    public HttpRangeStream(URI uri, RangeTransport transport, RangeStore store, EngineOptions options,
            ExecutorService executor, RangeEventListener events) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.key = canonicalKey(uri);
        this.events = Objects.requireNonNull(events, "events");
        this.context = new StreamContext(uri, key, transport, store, options, events, stats);
        this.transport = transport;
        this.store = store;
        this.options = options;
        this.executor = executor;
        this.planner = new Planner(options);
        // Two windows may be in flight ahead of a reader: in a bounded store, keep them to half of it so
        // prefetched bytes are not evicted (and fetched twice) before they are read.
        long max = Math.min(options.readaheadMax(), Math.max(options.blockSize(), store.maxBytes() / 4));
        this.readahead = new Readahead(Math.min(options.readaheadInitial(), max), max);
        this.maxWindow = max;
        // How much one streaming request asks for; the next stream starts a window before it ends, and
        // meanwhile two connections carry bytes. When the transport asks for two connections, streams of
        // maxRequestSize (two windows by default), so two connections run for half of a long read and
        // two threads read sockets: 1 GiB from nginx went from 0.82x of a plain GET to 1.00x with
        // OkHttp, and from 0.72-0.85x to 0.88-1.01x with the JDK transport's two clients (README,
        // "Performance"). Else STREAM_WINDOWS windows: fewer, longer streams were faster with one JDK
        // client (0.85x vs 0.72x) and no slower with Apache's; a request per GiB or so
        // still revalidates a long read now and then (If-Range). With parallelism 1, long streams always.
        this.streamSize = transport.sequentialConnections() > 1 && options.parallelism() > 1
                ? Math.max(options.maxRequestSize(), max)
                : Math.max(options.maxRequestSize(), STREAM_WINDOWS * max);
        this.readerReadsStream = transport.readerReadsStream();
    }

    /** The store key of a URI: scheme and host lower-cased, default port and fragment dropped. */
    public static String canonicalKey(URI uri) {
        URI n = uri.normalize();
        String scheme = n.getScheme().toLowerCase(Locale.ROOT);
        int port = n.getPort();
        if (scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443) {
            port = -1;
        }
        StringBuilder sb = new StringBuilder(scheme).append("://").append(n.getHost().toLowerCase(Locale.ROOT));
        if (port != -1) {
            sb.append(':').append(port);
        }
        sb.append(n.getRawPath() == null || n.getRawPath().isEmpty() ? "/" : n.getRawPath());
        if (n.getRawQuery() != null) {
            sb.append('?').append(n.getRawQuery());
        }
        return sb.toString();
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public long length() throws IOException {
        return resource().length();
    }

    @Override
    public ResourceInfo resource() throws IOException {
        requireOpen();
        loadHeldVersion();
        boolean held;
        synchronized (lock) {
            if (info != null) {
                return info;
            }
            if (version != null && options.revalidation() == Revalidation.NEVER) {
                info = infoOf(uri, version, Optional.empty(), true);
                return info;
            }
            held = version != null && !validated;
        }
        if (held) {
            // The store holds a version (e.g. from an earlier run): a conditional HEAD both validates
            // it and answers this call, so it is the one validating request.
            validateHeld();
            synchronized (lock) {
                if (info != null) {
                    return info;
                }
            }
        }
        probe();
        synchronized (lock) {
            return info;
        }
    }

    @Override
    public void fetch(Range range) throws IOException {
        fetchAll(List.of(range));
    }

    @Override
    public void fetchAll(Collection<Range> ranges) throws IOException {
        requireOpen();
        startOperation();
        List<Range> resolved = new ArrayList<>();
        for (Range r : ranges) {
            Objects.requireNonNull(r, "range");
        }
        for (Range r : ranges) {
            Range abs = resolveLearning(r);
            if (abs.isEmpty()) {
                continue;
            }
            learnLengthWhileFetching(abs, true);
            long length = knownLength();
            if (abs.start() >= length) {
                throw new RangeNotSatisfiableException("range " + r + " of " + uri + " lies past the end (length "
                        + length + ")");
            }
            resolved.add(Range.of(abs.start(), Math.min(abs.stop(), length)));
        }
        ensure(RangeSet.ofAll(resolved), true);
    }

    @Override
    public RangeSet ranges() {
        requireOpen();
        synchronized (lock) {
            if (fallback != null) {
                return RangeSet.of(Range.of(0, fallback.available()));
            }
        }
        try {
            return store.ranges(key);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("reading ranges of " + uri + " from store " + store.name(), e);
        }
    }

    @Override
    public int read(long position, ByteBuffer dst) throws IOException {
        requireOpen();
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative, was " + position);
        }
        startOperation();
        if (!dst.hasRemaining()) {
            return 0;
        }
        int fast = readHeld(position, dst);
        if (fast != NOT_HELD) {
            return fast;
        }
        learnLengthWhileFetching(Range.of(position, position + dst.remaining()));
        long length = knownLength();
        if (position >= length) {
            return -1;
        }
        long stop = Math.min(length, position + dst.remaining());
        Range wanted = Range.of(position, stop);
        long window;
        synchronized (lock) {
            window = readahead.next(position, stop);
            if (window > 0) {
                extendStreamsLocked(position, Math.min(length, stop + window));
            }
        }
        return readFetching(wanted, window, length, dst);
    }

    /**
     * The common case of a read, in one turn of the lock: the version is settled and every byte asked
     * for is held. Records the read for readahead, copies, and keeps the window on its way.
     *
     * @return the bytes read, -1 at the end, or {@link #NOT_HELD} when the slow path must run (and
     *     nothing was recorded or copied)
     */
    private int readHeld(long position, ByteBuffer dst) throws IOException {
        long length;
        long stop;
        long window;
        long gen;
        boolean windowHeld;
        synchronized (lock) {
            if (!loaded || version == null || !validated || fallback != null) {
                return NOT_HELD;
            }
            length = version.length();
            if (position >= length) {
                return -1;
            }
            stop = Math.min(length, position + dst.remaining());
            RangeSet held = store.ranges(key);
            Optional<Range> run = held.rangeContaining(position);
            if (run.isEmpty() || run.get().stop() < stop) {
                return NOT_HELD;
            }
            window = readahead.next(position, stop);
            if (window > 0) {
                extendStreamsLocked(position, Math.min(length, stop + window));
            }
            windowHeld = run.get().stop() - stop >= window || run.get().stop() >= length;
            gen = generation;
        }
        Range wanted = Range.of(position, stop);
        int start = dst.position();
        long pos = copyFromStore(position, start + wanted.length(), dst);
        boolean same;
        synchronized (lock) {
            same = gen == generation;
        }
        if (pos < stop || !same) {
            // Evicted or changed while copying: the readahead step is taken, the rest as any read.
            dst.position(start);
            return readFetching(wanted, window, length, dst);
        }
        servedFromStore(wanted.length());
        if (!windowHeld) {
            prefetch(stop, window, length);
        }
        return (int) wanted.length();
    }

    /**
     * Copies held bytes from {@code pos} into {@code dst}, up to buffer position {@code upTo} (or its
     * limit), stopping at the first byte not held.
     *
     * @return the position after the last byte copied
     */
    private long copyFromStore(long pos, long upTo, ByteBuffer dst) throws IOException {
        int limit = dst.limit();
        dst.limit((int) Math.min(limit, upTo));
        try {
            int n;
            while (dst.hasRemaining() && (n = store.read(key, pos, dst)) > 0) {
                pos += n;
            }
        } finally {
            dst.limit(limit);
        }
        return pos;
    }

    /** A read past its readahead step: fetches what is missing (with its window), copies, prefetches. */
    private int readFetching(Range wanted, long window, long length, ByteBuffer dst) throws IOException {
        long stop = wanted.stop();
        long position = wanted.start();
        Range fetchRange = wanted;
        if (window > 0 && !heldOrFlyingEncloses(wanted)) {
            // A sequential reader ran out of bytes: fetch its window with what it needs now.
            fetchRange = Range.of(position, Math.min(length, stop + window));
        }
        int n = copy(wanted, fetchRange, dst, false);
        if (window > 0) {
            prefetch(stop, window, length);
        }
        return n;
    }

    @Override
    public byte[] read(Range range) throws IOException {
        requireOpen();
        Objects.requireNonNull(range, "range");
        startOperation();
        long fetchedBefore = stats.fetched();
        Range abs = resolveLearning(range);
        learnLengthWhileFetching(abs);
        boolean fetchedToResolve = stats.fetched() != fetchedBefore;
        long length = knownLength();
        if (abs.stop() > length) {
            throw new EOFException("range " + range + " of " + uri + " runs past the end (length " + length + ")");
        }
        if (abs.length() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("range " + range + " is too long for one array: " + abs.length()
                    + " bytes; read it in parts or through channel()");
        }
        ByteBuffer dst = ByteBuffer.allocate((int) abs.length());
        if (abs.isEmpty()) {
            return dst.array();
        }
        copy(abs, abs, dst, fetchedToResolve);
        if (dst.hasRemaining()) {
            throw new EOFException("range " + range + " of " + uri + ": only " + dst.position() + " of "
                    + abs.length() + " bytes exist");
        }
        return dst.array();
    }

    @Override
    public SeekableByteChannel channel() {
        requireOpen();
        return new PositionalChannel(new PositionalChannel.Source() {
            @Override
            public int read(long position, ByteBuffer dst) throws IOException {
                return HttpRangeStream.this.read(position, dst);
            }

            @Override
            public long size() throws IOException {
                return length();
            }
        });
    }

    @Override
    public InputStream inputStream() {
        requireOpen();
        return new RangeStreamInputStream(this);
    }

    @Override
    public Stats stats() {
        return new Stats(stats.requests(), stats.fetched(), stats.fromStore());
    }

    @Override
    public void close() {
        StreamBuffer buffer;
        List<SentRequest> abandoned = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            buffer = fallback;
            lock.notifyAll(); // a streaming fetch waiting for its reader gives up its request
            // So do streams handed over to readers (one a reader reads now is ended by that reader).
            for (InFlight f : List.copyOf(inFlight)) {
                if (f.handedOver && !f.reading) {
                    abandoned.add(endLocked(f, null));
                }
            }
        }
        abandoned.forEach(SentRequest::close);
        if (buffer != null) {
            buffer.close();
        }
    }

    @Override
    public String toString() {
        return "RangeStream{" + uri + "}";
    }

    // ---- reading ----------------------------------------------------------------------------

    /**
     * Copies {@code wanted} into {@code dst} after making sure {@code fetchRange} (which contains it) is
     * held. Bytes evicted by other readers between the fetch and the copy are fetched again, and the
     * copy goes on from where it stopped; if the version changed meanwhile it starts over, so bytes of
     * two versions never mix. {@code justFetched} says the caller fetched the bytes itself (a suffix
     * read that taught the length), so none of them counts as served from the store.
     */
    private int copy(Range wanted, Range fetchRange, ByteBuffer dst, boolean justFetched) throws IOException {
        int startPosition = dst.position();
        int limit = dst.limit();
        long heldBefore = justFetched ? 0 : heldBytes(wanted);
        long pos = wanted.start();
        long copiedGeneration = Long.MIN_VALUE; // the version the bytes copied so far belong to
        int stalls = 0; // rounds in a row in which other readers evicted the bytes before they were copied
        for (int round = 0; round < MAX_ROUNDS; round++) {
            if (stalls >= DIRECT_AFTER_STALLS && copiedGeneration != Long.MIN_VALUE) {
                // A store too small for this many readers: take the rest straight from the network.
                ResourceVersion known;
                synchronized (lock) {
                    known = version;
                }
                dst.limit((int) Math.min(limit, startPosition + wanted.length()));
                try {
                    pos = readDirect(Range.of(pos, wanted.stop()), known, dst);
                } finally {
                    dst.limit(limit);
                }
                synchronized (lock) {
                    if (copiedGeneration == generation && pos == wanted.stop()) {
                        servedFromStore(Math.min(heldBefore, wanted.length()));
                        return (int) wanted.length();
                    }
                }
                copiedGeneration = Long.MIN_VALUE;
                stalls = 0;
                fetchRange = wanted;
                continue;
            }
            long gen = ensure(RangeSet.of(fetchRange), false);
            StreamBuffer buffer;
            synchronized (lock) {
                buffer = fallback;
            }
            if (buffer != null) {
                dst.position(startPosition);
                return copyFromFallback(buffer, wanted, dst);
            }
            if (gen != copiedGeneration) {
                pos = wanted.start();
                dst.position(startPosition);
                copiedGeneration = gen;
            }
            long before = pos;
            pos = copyFromStore(pos, startPosition + wanted.length(), dst); // short if evicted since ensure()
            synchronized (lock) {
                if (gen != generation) {
                    copiedGeneration = Long.MIN_VALUE; // changed while copying: start over
                    fetchRange = wanted;
                    continue;
                }
            }
            if (pos == wanted.stop()) {
                servedFromStore(Math.min(heldBefore, pos - wanted.start()));
                return (int) (pos - wanted.start());
            }
            stalls = pos == before ? stalls + 1 : 0;
            LOG.log(Level.DEBUG, "bytes of {0} from {1} were evicted before they were read; fetching them again",
                    wanted, pos);
            fetchRange = Range.of(pos, wanted.stop());
        }
        throw new RangeStreamException("could not hold " + wanted + " of " + uri + " in store " + store.name()
                + " long enough to read it; the store's limit is too small for this read");
    }

    /**
     * Reads {@code r} straight from the network into {@code dst} (and the store), for a reader whose
     * bytes other readers keep evicting from a small store. The response is checked as every other.
     *
     * @return the position after the last byte copied
     */
    private long readDirect(Range r, ResourceVersion known, ByteBuffer dst) throws IOException {
        RangeRequest request = RangeRequest.get(uri, r);
        if (known != null && known.ifRangeValidator().isPresent()) {
            request = request.withHeader("If-Range", known.ifRangeValidator().get());
        }
        LOG.log(Level.DEBUG, "GET {0} {1} straight into the reader's buffer", uri, r);
        try (SentRequest sent = SentRequest.send(context, request, "fetch")) {
            if (sent.status() != 206) {
                return r.start(); // a change or an odd answer: the caller starts over through the store
            }
            try {
                ResourceVersion v = checkPartial(sent.response(), r, known);
                long stop = Math.min(r.stop(), v.length());
                byte[] bytes = sent.body().readNBytes((int) (stop - r.start()));
                if (bytes.length < stop - r.start()) {
                    sent.failed(new EOFException("body of " + r + " of " + uri + " ended after " + bytes.length
                            + " bytes"));
                }
                dst.put(bytes, 0, Math.min(bytes.length, dst.remaining()));
                storeOwned(v, r.start(), bytes, bytes.length); // after the copy: the store may keep the array
                return r.start() + bytes.length;
            } catch (IOException e) {
                sent.failed(e);
                throw e;
            }
        }
    }

    /** Counts bytes served to a caller from the store, and tells the listener. */
    private void servedFromStore(long bytes) {
        if (bytes > 0) {
            stats.addFromStore(bytes);
            events.servedFromStore(uri, bytes);
        }
    }

    private int copyFromFallback(StreamBuffer buffer, Range wanted, ByteBuffer dst) throws IOException {
        int total = 0;
        long pos = wanted.start();
        while (pos < wanted.stop() && dst.hasRemaining()) {
            int size = (int) Math.min(Math.min(wanted.stop() - pos, dst.remaining()), CHUNK);
            byte[] bytes = buffer.read(pos, size);
            if (bytes.length == 0) {
                break;
            }
            dst.put(bytes);
            pos += bytes.length;
            total += bytes.length;
        }
        return total;
    }

    private long heldBytes(Range r) throws IOException {
        synchronized (lock) {
            if (fallback != null) {
                return Math.max(0, Math.min(r.stop(), fallback.available()) - r.start());
            }
        }
        RangeSet held = store.ranges(key);
        return held.encloses(r) ? r.length() : held.intersect(r).totalLength();
    }

    /** Whether the store holds {@code r} or it is being fetched now. */
    private boolean heldOrFlyingEncloses(Range r) throws IOException {
        synchronized (lock) {
            RangeSet held = store.ranges(key);
            return held.encloses(r) || held.union(flyingLocked()).encloses(r);
        }
    }

    /**
     * The ranges of requests still running. A request that has ended (stored or failed) counts no
     * more, even before it leaves {@code inFlight}: a reader that saw it fail must fetch the bytes
     * itself, not wait on it again (it spun through its rounds while the ended request waited for
     * the lock to leave the list).
     */
    private RangeSet flyingLocked() {
        if (inFlight.isEmpty()) {
            return RangeSet.EMPTY;
        }
        List<Range> flying = new ArrayList<>(inFlight.size());
        for (InFlight f : inFlight) {
            if (!f.done().isDone()) {
                flying.add(bringsLocked(f));
            }
        }
        return RangeSet.ofAll(flying);
    }

    /**
     * The bytes {@code f} is still to bring: its range, less what a streaming fetch has read of its body
     * already (stored, or evicted since; it brings neither again). Called under the lock.
     */
    private static Range bringsLocked(InFlight f) {
        Range r = f.range();
        StreamBody body = f.body;
        if (body == null) {
            return r;
        }
        long from = Math.min(r.stop(), Math.max(r.start(), body.cursor().position));
        return Range.of(from, r.stop());
    }

    /**
     * Whether a streaming fetch in flight brings the bytes from {@code from} (or earlier) to
     * {@code to}: what {@link #prefetch} finds on nearly every read of a streaming reader, checked
     * without building the set of flying ranges. Called under the lock.
     */
    private boolean streamBringsLocked(long from, long to) {
        for (InFlight f : inFlight) {
            Range r = f.range();
            if (f.streaming && !f.done().isDone() && r.start() <= from && r.stop() >= to) {
                return true;
            }
        }
        return false;
    }

    /**
     * Keeps a sequential reader's next window on its way: when less than {@code window} bytes past
     * {@code from} are held or in flight, the next window is fetched in the background, so the network
     * works while the reader consumes the bytes it has. A failed prefetch only logs: the reader then
     * fetches the bytes itself.
     */
    private void prefetch(long from, long window, long length) throws IOException {
        List<InFlight> registered = new ArrayList<>();
        synchronized (lock) {
            if (closed || fallback != null || version == null || !validated || from >= length) {
                return;
            }
            RangeSet held = store.ranges(key);
            long end = held.rangeContaining(from).map(Range::stop).orElse(from);
            if (end - from >= window || end >= length) {
                return; // the common case of a sequential reader: its window is held
            }
            if (streamBringsLocked(end, Math.min(length, from + window))) {
                return; // the other common case: the stream it reads from brings the window
            }
            // Else the next window is asked for even while the current one still streams in: two
            // windows in flight hide a request's latency (1.5-2 ms to the first byte from nginx on
            // loopback) while the windows grow; once a reader streams, this happens once per stream.
            RangeSet present = held.union(flyingLocked());
            end = present.rangeContaining(from).map(Range::stop).orElse(from);
            if (end - from >= window || end >= length) {
                return;
            }
            for (Range r : planner.plan(RangeSet.of(Range.of(end, Math.min(length, end + window))), present, length)) {
                // A stream asks for streamSize bytes, and not for bytes held or on their way.
                long streamStop = Math.min(r.start() + streamSize,
                        present.intersect(Range.of(r.stop(), length)).stream().findFirst().map(Range::start)
                                .orElse(length));
                // A reader whose window is at its largest has read sequentially for a while: it streams.
                InFlight f = window >= maxWindow && maxWindow >= CHUNK && streamStop > r.stop()
                        ? new InFlight(r, true, streamStop, "readahead")
                        : new InFlight(r, "readahead");
                inFlight.add(f);
                registered.add(f);
            }
        }
        for (InFlight f : registered) {
            LOG.log(Level.DEBUG, "readahead {0} of {1}{2}", f.range(), uri, f.streaming ? ", streaming" : "");
            try {
                executor.execute(() -> {
                    try {
                        runOne(f);
                    } catch (IOException | RuntimeException e) {
                        LOG.log(Level.DEBUG, "readahead {0} of {1} failed: {2}", f.range(), uri, e);
                    }
                });
            } catch (RejectedExecutionException e) {
                abandon(f, e);
            }
        }
    }

    /**
     * A sequential reader at {@code position} wants bytes up to {@code target}: a streaming fetch it
     * is reading from promises them (up to the first byte already held, which it would fetch again),
     * and is woken to fetch them. Called under the lock.
     */
    private void extendStreamsLocked(long position, long target) throws IOException {
        for (InFlight f : inFlight) {
            Range promised = f.range;
            if (!f.streaming || f.stopped || f.done().isDone() || position > promised.stop()
                    || target <= promised.stop()) {
                continue;
            }
            long limit = Math.min(target, f.requestStop);
            RangeSet heldAhead = store.ranges(key).intersect(Range.of(promised.stop(), Math.max(promised.stop(), limit)));
            if (!heldAhead.isEmpty()) {
                limit = heldAhead.ranges().get(0).start();
            }
            if (limit > promised.stop()) {
                f.range = Range.of(promised.start(), limit);
                lock.notifyAll();
            }
        }
    }

    private void abandon(InFlight f, Exception cause) {
        f.done().completeExceptionally(cause);
        synchronized (lock) {
            inFlight.remove(f);
            lock.notifyAll();
        }
    }

    // ---- making sure bytes are held ------------------------------------------------------------

    /**
     * Makes sure every byte of {@code wanted} is held (validating held bytes first if needed), sending
     * requests for the gaps only and sharing requests already in flight.
     *
     * @param exact whether to fetch just the gaps as named ({@code fetch}, {@code fetchAll}) rather
     *     than widened to whole blocks (reads)
     * @return the version generation the bytes belong to
     */
    private long ensure(RangeSet wanted, boolean exact) throws IOException {
        loadHeldVersion();
        IOException failure = null;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<Range> mine;
            List<CompletableFuture<Void>> waits = new ArrayList<>();
            List<InFlight> streams = new ArrayList<>(); // the streaming fetches among those waited for
            List<InFlight> registered = new ArrayList<>();
            boolean validate;
            StreamBuffer buffer;
            long gen;
            synchronized (lock) {
                buffer = fallback;
                gen = generation;
            }
            if (buffer != null) {
                long last = wanted.isEmpty() ? 0 : wanted.ranges().get(wanted.size() - 1).stop();
                buffer.read(Math.max(0, last - 1), 1);
                return gen;
            }
            RangeSet held;
            RangeSet missing;
            RangeSet awaitedBytes = RangeSet.EMPTY;
            synchronized (lock) {
                // Read under the lock: a request that finished between this read and the lock would
                // otherwise look neither held nor in flight, and be sent again.
                held = store.ranges(key);
                missing = held.encloses(wanted) ? RangeSet.EMPTY : wanted.minus(held);
                validate = needsValidation(held);
                if (missing.isEmpty()) {
                    if (!validate) {
                        return generation;
                    }
                    mine = List.of();
                } else {
                    RangeSet flying = flyingLocked();
                    awaitedBytes = missing;
                    for (InFlight f : inFlight) {
                        if (!f.done().isDone() && !missing.intersect(bringsLocked(f)).isEmpty()) {
                            waits.add(f.done());
                            if (f.streaming) {
                                awaitedBytes = awaitedBytes.union(wakeBatch(missing, f));
                                streams.add(f);
                            }
                        }
                    }
                    long length = version == null ? -1 : version.length();
                    mine = exact ? planner.planExact(missing.minus(flying), held.union(flying), length)
                            : planner.plan(missing.minus(flying), held.union(flying), length);
                    for (Range r : mine) {
                        InFlight f = new InFlight(r, "fetch");
                        inFlight.add(f);
                        registered.add(f);
                    }
                }
            }
            if (mine.isEmpty() && waits.isEmpty() && validate) {
                validateHeld();
                continue;
            }
            runAll(registered);
            if (readerReadsStream && !streams.isEmpty()) {
                readStreams(streams, missing);
                awaitedBytes = missing;
            }
            IOException othersFailed = awaitShared(waits, missing, awaitedBytes);
            if (othersFailed != null) {
                failure = othersFailed; // another reader's request failed: fetch it ourselves next round
            } else {
                // Every gap was fetched. Do not insist that all of it is still held: in a small store
                // other readers may evict some at once, and the caller copies what is there and asks
                // again for the rest (asking here would livelock under that churn).
                synchronized (lock) {
                    return generation;
                }
            }
        }
        throw new RangeStreamException("could not fetch " + wanted + " of " + uri + " after " + MAX_ROUNDS
                + " rounds", failure);
    }

    /**
     * The bytes that streaming fetch {@code f} brings right after {@code missing}, at most
     * {@link #WAKE_BATCH} of them (none when {@code f} ends before): a reader waiting for
     * {@code missing} waits for these too. Called under the lock.
     */
    private static Range wakeBatch(RangeSet missing, InFlight f) {
        long from = missing.ranges().get(missing.size() - 1).stop();
        return Range.of(from, Math.max(from, Math.min(from + WAKE_BATCH, f.range().stop())));
    }

    /**
     * Waits until the bytes {@code awaitedBytes} (the bytes {@code missing} and maybe a
     * {@link #wakeBatch} after them) are held or the shared requests (other readers' fetches and
     * readahead) are done. A sequential reader thus goes on as soon as its bytes of a large readahead
     * window have arrived, while the rest of the window still streams in.
     *
     * @return the failure of a shared request, when the bytes {@code missing} are not held; else null
     */
    private IOException awaitShared(List<CompletableFuture<Void>> waits, RangeSet missing, RangeSet awaitedBytes)
            throws IOException {
        if (waits.isEmpty()) {
            return null;
        }
        synchronized (lock) {
            // A fetch notifies the lock when it has stored all a waiting reader's bytes, and when it ends.
            // A slow server may take long to bring the batch: the reader then checks every
            // BATCH_WAIT_MILLIS and goes on with its own bytes.
            boolean batched = !awaitedBytes.equals(missing);
            boolean waited = false;
            awaited.add(awaitedBytes);
            try {
                while (!store.ranges(key).encloses(awaitedBytes) && !waits.stream().allMatch(CompletableFuture::isDone)
                        && !(waited && store.ranges(key).encloses(missing))) {
                    try {
                        lock.wait(batched ? BATCH_WAIT_MILLIS : 0);
                        waited = batched;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted waiting for a fetch of " + uri);
                    }
                }
            } finally {
                awaited.remove(awaitedBytes);
            }
            if (store.ranges(key).encloses(missing)) {
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

    /**
     * For a transport whose readers read streamed bodies themselves ({@link RangeTransport#readerReadsStream}):
     * reads the bodies of {@code streams} on this thread, a chunk at a time, until {@code missing} is
     * held. A stream's fetching thread hands its body over at its next chunk, and from then on
     * whichever reader needs its bytes reads it, one reader at a time. Returns early when no stream
     * can bring more of {@code missing} (it failed, ended, or has passed it); the caller then waits for
     * the streams as any reader does.
     */
    private void readStreams(List<InFlight> streams, RangeSet missing) throws IOException {
        while (true) {
            InFlight turn = null;
            synchronized (lock) {
                if (store.ranges(key).encloses(missing)) {
                    return;
                }
                boolean pending = false; // a stream that may yet be read here
                for (InFlight f : streams) {
                    if (f.done().isDone()) {
                        continue;
                    }
                    if (!f.readerDriven) {
                        f.readerDriven = true;
                        lock.notifyAll(); // its fetching thread may wait for a promise
                    }
                    if (!f.handedOver || f.reading) {
                        pending = true; // handed over at its next chunk, or read by another reader now
                    } else if (!missing.intersect(bringsLocked(f)).isEmpty()) {
                        turn = f;
                        break;
                    }
                }
                if (turn == null) {
                    if (!pending) {
                        return;
                    }
                    try {
                        lock.wait(); // a hand-over, a chunk read or a stream's end notifies
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted waiting for a stream of " + uri);
                    }
                    continue;
                }
                turn.reading = true;
            }
            readOn(turn);
        }
    }

    /**
     * A reader's turn at a handed-over stream ({@code f.reading} set by the caller): reads its next
     * chunk, as far as readers have asked, into the store. Ends the stream at the end of its body, when
     * the body fails or is cut short (the readers then fetch what they miss themselves, with retries),
     * and when the stream has closed or the version changed.
     */
    private void readOn(InFlight f) {
        StreamBody body = f.body;
        Exception failure = null;
        try {
            long limit;
            synchronized (lock) {
                limit = f.range.stop();
            }
            failure = readChunk(body, limit) ? null : new EOFException("body of " + body.asked() + " of " + uri
                    + " ended after " + (body.cursor().position - body.asked().start()) + " bytes");
        } catch (IOException | RuntimeException e) {
            failure = e;
        } catch (Error e) {
            // An Error leaves the body where no one can tell, so the stream is not read again.
            failure = new RangeStreamException("reading the stream of " + body.asked() + " of " + uri + " failed");
            throw e;
        } finally {
            SentRequest ended = null;
            synchronized (lock) {
                f.reading = false;
                f.lastRead = System.nanoTime();
                if (failure != null || body.cursor().position >= f.requestStop || closed
                        || generation != body.generation()) {
                    ended = endLocked(f, failure);
                }
                lock.notifyAll();
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
    private boolean readChunk(StreamBody body, long limit) throws IOException {
        long pos = body.cursor().position;
        int want = (int) Math.min(CHUNK, Math.min(limit, body.asked().stop()) - pos);
        return want <= 0
                || receiveChunk(body.sent().body(), body.asked(), pos, want, body.version(), body.cursor()) == want;
    }

    /**
     * Ends a streaming fetch handed over to its readers: it brings nothing more, leaves the fetches in
     * flight and completes ({@code failure} null: normally). Called under the lock; returns the
     * response, for the caller to close outside it.
     */
    private SentRequest endLocked(InFlight f, Exception failure) {
        f.stopped = true;
        inFlight.remove(f);
        if (failure == null) {
            f.done().complete(null);
        } else {
            f.done().completeExceptionally(failure);
        }
        lock.notifyAll();
        return f.body.sent();
    }

    /**
     * Checks after {@code delayNanos} whether a handed-over stream has been read in the last
     * {@link #STREAM_IDLE}, and ends it if not, as its fetching thread would have: no reader holds a
     * connection it stopped reading. The check runs on the client's threads, or (once they are shut
     * down) on the timer's.
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
        synchronized (lock) {
            if (f.done().isDone()) {
                return;
            }
            left = f.reading ? STREAM_IDLE.toNanos() : f.lastRead + STREAM_IDLE.toNanos() - System.nanoTime();
            if (!f.reading && (left <= 0 || closed || generation != f.body.generation())) {
                LOG.log(Level.DEBUG, "stream of {0} of {1} not read for {2}; abandoned", f.range(), uri, STREAM_IDLE);
                ended = endLocked(f, null);
            }
        }
        if (ended != null) {
            ended.close();
        } else {
            watchIdle(f, left);
        }
    }

    private boolean needsValidation(RangeSet held) {
        return !validated && version != null && !held.isEmpty() && options.revalidation() != Revalidation.NEVER;
    }

    /**
     * Runs the planned requests, in this thread and up to {@code parallelism - 1} helpers that all take
     * the next request from one queue (so a slow request does not hold back a fixed share of the
     * plan). After the first failure the requests not yet started are failed rather than sent, so
     * readers waiting on them fetch for themselves.
     */
    private void runAll(List<InFlight> planned) throws IOException {
        if (planned.isEmpty()) {
            return;
        }
        Queue<InFlight> queue = new ConcurrentLinkedQueue<>(planned);
        AtomicReference<Exception> failure = new AtomicReference<>();
        int helpers = Math.min(options.parallelism(), planned.size()) - 1;
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
                throw new InterruptedIOException("interrupted fetching " + uri);
            }
        }
        Exception first = failure.get();
        if (first != null) {
            throw asIOException(first instanceof ExecutionException ? first.getCause() : first);
        }
    }

    private Void drain(Queue<InFlight> queue, AtomicReference<Exception> failure) {
        InFlight f;
        while ((f = queue.poll()) != null) {
            Exception first = failure.get();
            if (first != null) {
                abandon(f, first);
                continue;
            }
            try {
                runOne(f);
            } catch (IOException | RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }
        return null;
    }

    private void runOne(InFlight f) throws IOException {
        boolean ended = true; // else a streaming fetch was handed over to its readers, who end it
        try {
            if (f.streaming) {
                ended = streamRange(f);
            } else {
                fetchRange(f.range(), f.purpose);
            }
            if (ended) {
                f.done().complete(null);
            }
        } catch (IOException | RuntimeException | Error e) {
            f.done().completeExceptionally(e);
            throw e;
        } finally {
            if (ended) {
                synchronized (lock) {
                    inFlight.remove(f);
                    lock.notifyAll();
                }
            }
        }
    }

    private static IOException asIOException(Throwable t) {
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

    // ---- one request, checked -------------------------------------------------------------------

    /**
     * Fetches {@code [start, stop)} into the store, resuming a body cut short within the retry budget.
     *
     * @param purpose what the request is for, as the request events say
     */
    private void fetchRange(Range wanted, String purpose) throws IOException {
        long pos = wanted.start();
        long stop = wanted.stop();
        int attempt = 0;
        IOException last = null;
        String why = purpose;
        while (pos < stop) {
            ResourceVersion known;
            synchronized (lock) {
                known = version;
                if (fallback != null) {
                    return;
                }
            }
            if (known != null) {
                stop = Math.min(stop, known.length());
                if (pos >= stop) {
                    return;
                }
            }
            Range asked = Range.of(pos, stop);
            RangeRequest request = RangeRequest.get(uri, asked);
            if (known != null && known.ifRangeValidator().isPresent()) {
                request = request.withHeader("If-Range", known.ifRangeValidator().get());
            }
            LOG.log(Level.DEBUG, "GET {0} {1} (attempt {2})", uri, asked, attempt + 1);
            long before = pos;
            Cursor cursor = new Cursor(pos);
            RangeEventListener.Request event = SentRequest.eventOf(context, request, why);
            SentRequest sent = null;
            boolean keepBody = false;
            try {
                sent = SentRequest.send(context, request, event);
                int status = sent.status();
                if (status == 206) {
                    ResourceVersion v = checkPartial(sent.response(), asked, known);
                    stop = Math.min(stop, v.length());
                    pos = receive(sent.body(), cursor, Math.min(asked.stop(), v.length()), v);
                    if (pos < stop) {
                        attempt++;
                        last = new EOFException("body of " + asked + " ended after " + (pos - before) + " bytes");
                        sent.failed(last);
                        if (attempt > options.retries()) {
                            break;
                        }
                        LOG.log(Level.DEBUG, "body of {0} of {1} cut short after {2} bytes; resuming", asked, uri,
                                pos - before);
                        events.retry(event, attempt + 1, "body cut short after " + (pos - before) + " bytes",
                                Duration.ZERO);
                        why = pos > wanted.start() ? "resume" : purpose;
                    }
                    continue;
                }
                if (status == 200) {
                    keepBody = handleWholeBody(sent, known);
                    if (!keepBody) {
                        attempt++; // the file changed under us: refetch, but not forever
                        last = new RangeStreamException(uri + " changed while " + asked + " was fetched");
                        if (attempt > options.retries()) {
                            break;
                        }
                        sent.close();
                        events.retry(event, attempt + 1, "changed", Duration.ZERO);
                    }
                    continue;
                }
                if (status == 416) {
                    OptionalLong len = sent.response().contentRange().map(ContentRange::length)
                            .orElse(OptionalLong.empty());
                    throw new RangeNotSatisfiableException("server answered 416 for range " + asked + " of " + uri
                            + len.stream().mapToObj(l -> " (length " + l + ")").findFirst().orElse(""));
                }
                if ((status == 429 || status >= 500) && attempt < options.retries()) {
                    attempt++;
                    Duration wait = retryDelay(sent.response(), attempt);
                    sent.close();
                    events.retry(event, attempt + 1, Integer.toString(status), wait);
                    pause(wait, status, asked);
                    continue;
                }
                throw new HttpStatusException(status, "server answered " + status + " for range " + asked + " of "
                        + uri + (attempt > 0 ? " after " + (attempt + 1) + " attempts" : ""));
            } catch (RangeStreamException e) {
                failed(sent, e);
                throw e;
            } catch (InterruptedIOException e) {
                failed(sent, e);
                throw e;
            } catch (IOException e) {
                failed(sent, e);
                pos = Math.max(pos, cursor.position);
                attempt++;
                last = e;
                if (attempt > options.retries()) {
                    break;
                }
                LOG.log(Level.DEBUG, "request for {0} of {1} failed ({2}); retrying from {3}", asked, uri, e, pos);
                events.retry(event, attempt + 1, e.toString(), Duration.ZERO);
                why = pos > wanted.start() ? "resume" : purpose;
            } finally {
                if (sent != null && !keepBody) {
                    sent.close();
                }
            }
        }
        if (pos < stop) {
            throw new RangeStreamException("range " + wanted + " of " + uri + ": received " + (pos - wanted.start())
                    + " of " + (stop - wanted.start()) + " bytes; gave up after " + attempt + " attempts"
                    + (last != null ? " (" + last.getMessage() + ")" : ""), last);
        }
    }

    /** Ends {@code sent} (none when null) as failed with {@code failure}. */
    private static void failed(SentRequest sent, IOException failure) {
        if (sent != null) {
            sent.failed(failure);
        }
    }

    /**
     * A streaming fetch: one request from the start of {@code f}'s range to {@code f.requestStop}
     * ({@link #streamSize} bytes on, or the first byte held or on its way), read only as far as
     * its reader has asked ({@code f.range}, which {@link #extendStreamsLocked} moves on), so the
     * fetched bytes never run more than a window ahead of the reader. While the reader keeps up, it
     * streams like one plain GET, and the next starts a window before it ends; when the reader stops
     * for {@link #STREAM_IDLE}, jumps away or the stream closes, the rest of the body is abandoned
     * (closing it aborts the connection). Any other answer than the expected 206 fails the fetch,
     * and the readers waiting for it fetch their bytes themselves, with retries. With a transport
     * whose readers read streams themselves, the body is handed over to them (see
     * {@link #readStreams}) as soon as one of them waits for its bytes.
     *
     * @return whether the fetch has ended; false when its body was handed over to its readers
     */
    private boolean streamRange(InFlight f) throws IOException {
        ResourceVersion known;
        long gen;
        synchronized (lock) {
            known = version;
            gen = generation;
        }
        Range asked = Range.of(f.range().start(), f.requestStop);
        RangeRequest request = RangeRequest.get(uri, asked);
        if (known.ifRangeValidator().isPresent()) {
            request = request.withHeader("If-Range", known.ifRangeValidator().get());
        }
        LOG.log(Level.DEBUG, "GET {0} {1}, streamed as the reader advances", uri, asked);
        SentRequest sent = SentRequest.send(context, request, SentRequest.eventOf(context, request, f.purpose));
        boolean handedOver = false;
        try {
            if (sent.status() != 206) {
                throw new RangeStreamException("streaming readahead of " + asked + " of " + uri + ": server answered "
                        + sent.status());
            }
            ResourceVersion v = checkPartial(sent.response(), asked, known);
            Cursor cursor = new Cursor(asked.start());
            StreamBody body = new StreamBody(sent, asked, v, gen, cursor);
            synchronized (lock) {
                f.body = body;
            }
            while (cursor.position < f.requestStop) {
                long pos = cursor.position;
                long limit = awaitPromise(f, pos, gen);
                if (limit == HANDED_OVER) {
                    handedOver = true;
                    watchIdle(f, STREAM_IDLE.toNanos());
                    return false;
                }
                if (limit <= pos || !readChunk(body, limit)) {
                    break;
                }
            }
            synchronized (lock) {
                if (cursor.position < f.requestStop && !f.stopped) {
                    throw new EOFException("body of " + asked + " of " + uri + " ended after "
                            + (cursor.position - asked.start()) + " bytes");
                }
            }
            // Else the body was read to its end, or the reader stopped, went elsewhere or the stream
            // closed: the rest is abandoned (closing the response aborts its connection).
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
     * returns the promised end, or {@code pos} when the stream is to stop (it takes no more promises),
     * or {@link #HANDED_OVER} when a reader asked to read the body itself: the fetching thread then
     * steps back, and the readers read on from {@code pos}.
     */
    private long awaitPromise(InFlight f, long pos, long gen) throws IOException {
        synchronized (lock) {
            long deadline = System.nanoTime() + STREAM_IDLE.toNanos();
            long left;
            while (!closed && gen == generation && !f.readerDriven && f.range.stop() <= pos
                    && (left = deadline - System.nanoTime()) > 0) {
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    f.stopped = true;
                    throw new InterruptedIOException("interrupted streaming " + uri);
                }
            }
            if (closed || gen != generation || f.range.stop() <= pos && !f.readerDriven) {
                f.stopped = true;
                f.range = Range.of(f.range.start(), pos);
                return pos;
            }
            if (f.readerDriven) {
                f.handedOver = true;
                f.lastRead = System.nanoTime();
                lock.notifyAll();
                return HANDED_OVER;
            }
            return f.range.stop();
        }
    }

    /**
     * How far one request's body got: the position after the last byte stored. Volatile: other threads
     * look at a streaming fetch's to see what it is still to bring.
     */
    private static final class Cursor {
        volatile long position;

        Cursor(long position) {
            this.position = position;
        }
    }

    /**
     * Checks a 206 against the request: {@code Content-Range} must be present and equal to what was
     * asked (clipped at the end), {@code Content-Length} must agree, and the version must be the one
     * held, else the change is handled. Returns the version of the response.
     */
    private ResourceVersion checkPartial(RangeResponse response, Range asked, ResourceVersion known)
            throws IOException {
        Optional<ContentRange> cr = response.contentRange();
        if (cr.isEmpty() || cr.get().range().isEmpty()) {
            throw new RangeStreamException("206 for " + asked + " of " + uri + " has no valid Content-Range (got "
                    + response.header("Content-Range").orElse("none") + ")");
        }
        Range got = cr.get().range().get();
        long length = cr.get().length().orElse(known != null ? known.length() : -1);
        long expectedStop = length >= 0 ? Math.min(asked.stop(), length) : asked.stop();
        boolean clippedAtEnd = length >= 0 && got.stop() == length && asked.stop() >= length;
        if (got.start() != asked.start() || got.stop() != expectedStop && !clippedAtEnd) {
            throw new RangeStreamException("asked for range " + asked + " of " + uri + " but the server sent "
                    + got + " (Content-Range: " + response.header("Content-Range").orElse("") + ")");
        }
        if (length < 0) {
            throw new RangeStreamException("206 for " + asked + " of " + uri
                    + " does not state the complete length (Content-Range: " + response.header("Content-Range").orElse("")
                    + ")");
        }
        OptionalLong contentLength = response.contentLength();
        if (contentLength.isPresent() && contentLength.getAsLong() != got.length()) {
            throw new RangeStreamException("206 for range " + got + " of " + uri + " has Content-Length "
                    + contentLength.getAsLong() + " instead of " + got.length());
        }
        ResourceVersion v = versionOf(response, length);
        learn(v, response, true);
        return v;
    }

    /**
     * Streams a 206 body into the store. The last chunk is stored only after the body is seen to end
     * where it should, so a body longer than its range stores (almost) nothing.
     *
     * @return the position after the last byte stored
     */
    private long receive(CountedBody in, Cursor cursor, long stop, ResourceVersion v) throws IOException {
        long start = cursor.position;
        long pos = start;
        while (pos < stop) {
            int want = (int) Math.min(CHUNK, stop - pos);
            int filled = receiveChunk(in, Range.of(start, stop), pos, want, v, cursor);
            pos += filled;
            if (filled < want) {
                return pos; // cut short: the caller resumes from here
            }
        }
        return pos;
    }

    /**
     * Reads {@code want} bytes of a body at {@code pos} into a chunk and stores it (all of it, or what
     * arrived before the body ended or failed). Its own method, called once per chunk, so the JIT
     * compiles it as soon as a few hundred chunks have passed; inside {@link #receive}, which runs once
     * per request, the loop waited for on-stack replacement, and ran interpreted for gigabytes.
     *
     * @return the bytes stored: {@code want}, or fewer when the body ended
     */
    private int receiveChunk(CountedBody in, Range asked, long pos, int want, ResourceVersion v, Cursor cursor)
            throws IOException {
        // The store's own array when it has one to spare: handed over filled, it is kept as is.
        byte[] chunk = store.newChunk(want);
        int filled = 0;
        int n;
        try {
            while (filled < want && (n = in.fill(chunk, filled, want - filled)) > 0) {
                filled += n;
            }
        } catch (IOException e) {
            // Connection lost mid-body: keep the bytes that did arrive, then let the caller resume.
            storeOwned(v, pos, chunk, filled);
            cursor.position = pos + filled;
            throw e;
        }
        if (filled == want && pos + filled == asked.stop() && in.read() != -1) {
            throw new RangeStreamException("body for range " + asked + " of " + uri
                    + " is longer than the range; nothing of it kept from " + Range.of(pos, asked.stop()));
        }
        storeOwned(v, pos, chunk, filled);
        cursor.position = pos + filled;
        return filled;
    }

    /** Hands a filled chunk to the store (which may keep the array) and wakes readers whose bytes are now held. */
    private void storeOwned(ResourceVersion v, long position, byte[] chunk, int count) throws IOException {
        if (count > 0) {
            store.writeOwned(key, v, position, chunk, count);
            synchronized (lock) {
                if (awaitedHeldLocked()) {
                    lock.notifyAll();
                }
            }
        }
    }

    /** Whether a reader waiting in {@link #awaitShared} now holds all it waits for. Called under the lock. */
    private boolean awaitedHeldLocked() throws IOException {
        if (awaited.isEmpty()) {
            return false;
        }
        RangeSet held = store.ranges(key);
        for (RangeSet w : awaited) {
            if (held.encloses(w)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A 200 to a ranged request: either the resource changed (a new validator; the If-Range failed) or
     * the server ignores ranges, and the stream falls back to this one streamed body.
     */
    private boolean handleWholeBody(SentRequest sent, ResourceVersion known) throws IOException {
        RangeResponse response = sent.response();
        String encoding = response.header("Content-Encoding").orElse("identity");
        OptionalLong contentLength = encoding.equalsIgnoreCase("identity") ? response.contentLength() : OptionalLong.empty();
        ResourceVersion v = contentLength.isPresent() ? versionOf(response, contentLength.getAsLong()) : null;
        if (known != null && (v == null || !known.isSameVersion(v))) {
            // The If-Range did not match: the file changed. Drop what is held and refetch.
            if (v != null) {
                learn(v, response, true);
            } else {
                changed(known, Optional.empty());
            }
            return false;
        }
        LOG.log(Level.DEBUG, "{0} ignores Range (answered 200); serving from one streamed download", uri);
        // The buffer closes its source when it is closed; that ends the request.
        InputStream body = new FilterInputStream(sent.bodyStream()) {
            @Override
            public void close() {
                sent.close();
            }
        };
        StreamBuffer buffer = StreamBuffer.builder(body)
                .memoryLimit(options.fallbackMemoryLimit())
                .expectedLength(contentLength)
                .spillDirectory(options.spillDirectory())
                .build();
        synchronized (lock) {
            if (fallback != null || closed) {
                buffer.close();
                return true;
            }
            fallback = buffer;
        }
        events.fallback(uri, response.status());
        synchronized (lock) {
            if (v != null) {
                learnLocked(v);
            }
            info = infoOf(response.uri(), v != null ? v : new ResourceVersion(0, Optional.empty(), Optional.empty()),
                    response.header("Content-Type"), false);
        }
        if (v == null) {
            // No length given: the buffer learns it at the end of the stream.
            long length = buffer.length().isPresent() ? buffer.length().getAsLong() : drainLength(buffer);
            ResourceVersion learned = versionOf(response, length);
            synchronized (lock) {
                learnLocked(learned);
                info = infoOf(response.uri(), learned, response.header("Content-Type"), false);
            }
        }
        return true;
    }

    private static long drainLength(StreamBuffer buffer) throws IOException {
        long pos = buffer.available();
        while (buffer.read(pos, CHUNK).length > 0) {
            pos = buffer.available();
        }
        return buffer.length().orElse(buffer.available());
    }

    /** How long to wait before retry {@code attempt}: the response's {@code Retry-After}, else a backoff; at most the cap. */
    private Duration retryDelay(RangeResponse response, int attempt) {
        Duration cap = options.retryAfterCap();
        Duration wait = response.header("Retry-After").flatMap(HttpRangeStream::parseRetryAfter)
                .orElse(Duration.ofMillis(Math.min(cap.toMillis(), 50L << Math.min(attempt, 10))));
        return wait.compareTo(cap) > 0 ? cap : wait;
    }

    private void pause(Duration wait, int status, Range asked) throws IOException {
        LOG.log(Level.DEBUG, "{0} for {1} of {2}; retrying in {3} ms", status, asked, uri, wait.toMillis());
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting to retry " + uri);
        }
    }

    static Optional<Duration> parseRetryAfter(String value) {
        String v = value.trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(when.getZone()), when);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }

    // ---- length, versions, validation ----------------------------------------------------------

    /** Looks up, once, the version the store holds for this resource. */
    private void loadHeldVersion() throws IOException {
        synchronized (lock) {
            if (loaded) {
                return;
            }
        }
        Optional<ResourceVersion> held = store.version(key);
        synchronized (lock) {
            if (loaded) {
                return;
            }
            loaded = true;
            if (version == null && held.isPresent()) {
                version = held.get();
                validated = options.revalidation() == Revalidation.NEVER;
            }
        }
    }

    /** At the start of each public read: with ALWAYS, held bytes must be validated again. */
    private void startOperation() {
        if (options.revalidation() == Revalidation.ALWAYS) {
            synchronized (lock) {
                validated = false;
            }
        }
    }

    /**
     * While nothing is known of the resource, the first read of an absolute range fetches (the start
     * of) that range and learns the length from its {@code Content-Range}, instead of sending a
     * {@code HEAD} first (R2). A range past the end (416) leaves the length to the probe. A read
     * widens the range to whole blocks; a fetch ({@code exact}) asks for just its bytes.
     */
    private void learnLengthWhileFetching(Range abs) throws IOException {
        learnLengthWhileFetching(abs, false);
    }

    private void learnLengthWhileFetching(Range abs, boolean exact) throws IOException {
        if (abs.isEmpty() || !abs.isResolved()) {
            return;
        }
        loadHeldVersion();
        CompletableFuture<Void> theirs;
        CompletableFuture<Void> mine = null;
        synchronized (lock) {
            if (version != null || fallback != null || info != null) {
                return;
            }
            // Readers that come while another one's first fetch is on its way wait for it, then read
            // as usual (sharing what it fetched), rather than each sending a first request of its own.
            theirs = learning;
            if (theirs == null) {
                mine = new CompletableFuture<>();
                learning = mine;
            }
        }
        if (theirs != null) {
            try {
                theirs.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for the first fetch of " + uri);
            } catch (ExecutionException e) {
                learnLengthWhileFetching(abs, exact); // it failed: this reader tries itself
            }
            return;
        }
        try {
            learnFromFirstFetch(abs, exact);
            mine.complete(null);
        } catch (IOException | RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            synchronized (lock) {
                learning = null;
            }
        }
    }

    private void learnFromFirstFetch(Range abs, boolean exact) throws IOException {
        long block = exact ? 1 : options.blockSize();
        long start = abs.start() / block * block;
        long stop = Math.min(abs.stop(), start + options.maxRequestSize());
        long aligned = stop % block == 0 || stop > Long.MAX_VALUE - block ? stop : (stop / block + 1) * block;
        LOG.log(Level.DEBUG, "length of {0} unknown: learning it from the first fetch", uri);
        try {
            fetchRange(Range.of(start, aligned), "fetch");
        } catch (RangeNotSatisfiableException e) {
            // Past the end, the callers answer -1, EOF or 416 once the length is known; a 416 for bytes
            // that do exist is the server's error and stays one.
            if (abs.start() < length()) {
                throw e;
            }
        }
    }

    private long knownLength() throws IOException {
        synchronized (lock) {
            if (version != null && (validated || options.revalidation() == Revalidation.NEVER || fallback != null)) {
                return version.length();
            }
            if (version != null && info != null) {
                return version.length();
            }
        }
        return length();
    }

    /**
     * Resolves a range, learning the length first if needed: a range counted from the end is fetched
     * with {@code bytes=-n} from its start (at least one block, so a footer read needs no HEAD and
     * usually brings what the footer points to); any other relative range probes the length.
     */
    private Range resolveLearning(Range r) throws IOException {
        if (r.isResolved()) {
            return r;
        }
        loadHeldVersion();
        boolean unknown;
        synchronized (lock) {
            unknown = version == null && fallback == null;
        }
        if (unknown && r.start() < 0) {
            // Footers first: any read counted from the end goes as one suffix request, no HEAD.
            fetchSuffix(-r.start());
        }
        return r.resolve(knownLength());
    }


    private void fetchSuffix(long n) throws IOException {
        long size = Math.max(n, options.blockSize());
        RangeRequest request = RangeRequest.get(uri, Range.suffix(size));
        LOG.log(Level.DEBUG, "GET {0} last {1} bytes (length unknown)", uri, size);
        SentRequest sent = SentRequest.send(context, request, "suffix");
        RangeResponse response = sent.response();
        boolean keepBody = false;
        try {
            int status = response.status();
            if (status == 206) {
                // The length comes from the answer; then it is checked as every 206 is (range, length,
                // Content-Length) against the range the suffix stands for.
                OptionalLong length = response.contentRange().map(ContentRange::length).orElse(OptionalLong.empty());
                if (length.isEmpty()) {
                    throw new RangeStreamException("206 for the last " + size + " bytes of " + uri
                            + " has no valid Content-Range with the complete length (got "
                            + response.header("Content-Range").orElse("none") + ")");
                }
                Range got = Range.suffix(size).resolve(length.getAsLong());
                ResourceVersion v = checkPartial(response, got, null);
                long pos;
                Cursor cursor = new Cursor(got.start());
                try {
                    pos = receive(sent.body(), cursor, got.stop(), v);
                } catch (RangeStreamException e) {
                    throw e;
                } catch (IOException e) {
                    sent.failed(e);
                    pos = cursor.position;
                }
                if (pos < got.stop()) {
                    sent.failed(new EOFException("body of the last " + size + " bytes of " + uri + " ended after "
                            + (pos - got.start()) + " bytes"));
                    sent.close();
                    events.retry(sent.event(), 2, "body cut short after " + (pos - got.start()) + " bytes",
                            Duration.ZERO);
                    fetchRange(Range.of(pos, got.stop()), "resume");
                }
            } else if (status == 200) {
                keepBody = handleWholeBody(sent, null);
            } else if (status == 416) {
                throw new RangeNotSatisfiableException("server answered 416 for the last " + size + " bytes of " + uri);
            } else {
                throw new HttpStatusException(status, "server answered " + status + " for the last " + size
                        + " bytes of " + uri);
            }
        } catch (RangeStreamException e) {
            sent.failed(e);
            throw e;
        } finally {
            if (!keepBody) {
                sent.close();
            }
        }
    }

    /** Learns the length (and version) with HEAD, or a ranged GET when HEAD is refused. */
    private void probe() throws IOException {
        RangeRequest head = RangeRequest.head(uri);
        LOG.log(Level.DEBUG, "HEAD {0} to learn its length", uri);
        try (SentRequest sent = SentRequest.send(context, head, "probe")) {
            RangeResponse response = sent.response();
            int status = response.status();
            String encoding = response.header("Content-Encoding").orElse("identity");
            OptionalLong length = response.contentLength();
            if (status == 200 && length.isPresent() && encoding.equalsIgnoreCase("identity")) {
                ResourceVersion v = versionOf(response, length.getAsLong());
                boolean ranges = !response.header("Accept-Ranges").orElse("bytes").equalsIgnoreCase("none");
                learn(v, response, ranges);
                return;
            }
            if (status == 404 || status == 410 || status == 401 || status == 403) {
                throw new HttpStatusException(status, "server answered " + status + " to HEAD " + uri);
            }
            LOG.log(Level.DEBUG, "HEAD {0} answered {1} without a usable length; probing with a ranged GET", uri,
                    status);
        }
        // HEAD refused or unhelpful: fetch the first block, which teaches the length and is kept.
        fetchRange(Range.of(0, options.blockSize()), "probe");
        synchronized (lock) {
            if (info == null && version != null) {
                info = infoOf(uri, version, Optional.empty(), fallback == null);
            }
            if (info == null) {
                throw new RangeStreamException("could not learn the length of " + uri);
            }
        }
    }

    /** Checks held bytes with a conditional request, so a changed file is never served. */
    private void validateHeld() throws IOException {
        ResourceVersion held;
        synchronized (lock) {
            held = version;
            if (validated || held == null) {
                return;
            }
        }
        RangeRequest head = RangeRequest.head(uri);
        if (held.strongEtag().isPresent()) {
            head = head.withHeader("If-None-Match", held.strongEtag().get());
        } else if (held.lastModified().isPresent()) {
            head = head.withHeader("If-Modified-Since", held.lastModified().get());
        }
        LOG.log(Level.DEBUG, "validating held bytes of {0} with a conditional HEAD", uri);
        try (SentRequest sent = SentRequest.send(context, head, "validate")) {
            RangeResponse response = sent.response();
            int status = response.status();
            if (status == 304) {
                synchronized (lock) {
                    validated = true;
                    if (info == null) {
                        info = infoOf(response.uri(), held, response.header("Content-Type"), true);
                    }
                }
                sent.close();
                events.revalidated(uri, true);
                return;
            }
            if (status == 200 && response.contentLength().isPresent()
                    && response.header("Content-Encoding").orElse("identity").equalsIgnoreCase("identity")) {
                learn(versionOf(response, response.contentLength().getAsLong()), response, true);
                return;
            }
            if (status == 404 || status == 410) {
                throw new HttpStatusException(status, "server answered " + status + " validating " + uri);
            }
        }
        // HEAD refused: a one-byte ranged GET with If-Range validates (206) or reveals a change (200).
        fetchRange(Range.of(0, 1), "validate");
    }

    /**
     * Takes in the version a response shows. The first version seen is compared with what the store
     * holds; a different one drops the held bytes (and fails, if so configured).
     */
    private void learn(ResourceVersion v, RangeResponse response, boolean rangesHonoured) throws IOException {
        ResourceVersion old;
        boolean changed;
        boolean validating; // held bytes not yet checked in this stream: this response checks them
        synchronized (lock) {
            old = version;
            changed = old != null && !old.isSameVersion(v);
            validating = old != null && !validated;
            if (!changed) {
                version = old == null ? v : old;
                validated = true;
                if (info == null || old == null) {
                    info = infoOf(response.uri(), version, response.header("Content-Type"), rangesHonoured && fallback == null);
                }
            }
        }
        if (validating) {
            events.revalidated(uri, !changed);
        }
        if (!changed) {
            store.bind(key, version());
            return;
        }
        changed(old, Optional.of(v));
        synchronized (lock) {
            info = infoOf(response.uri(), v, response.header("Content-Type"), rangesHonoured && fallback == null);
        }
    }

    private void learnLocked(ResourceVersion v) {
        version = v;
        validated = true;
    }

    private ResourceVersion version() {
        synchronized (lock) {
            return version;
        }
    }

    /** The remote file changed: drop held bytes, serve the new version or fail. */
    private void changed(ResourceVersion old, Optional<ResourceVersion> now) throws IOException {
        LOG.log(Level.DEBUG, "{0} changed: held {1}, server has {2}; dropping held bytes", uri, old,
                now.map(Object::toString).orElse("an unknown version"));
        if (now.isPresent()) {
            store.bind(key, now.get());
        } else {
            store.remove(key);
        }
        synchronized (lock) {
            version = now.orElse(null);
            validated = now.isPresent();
            generation++;
            info = null;
        }
        events.versionChanged(uri, validatorOf(old), now.map(HttpRangeStream::validatorOf).orElse(""));
        if (options.onChange() == ChangePolicy.FAIL) {
            throw new ResourceChangedException(uri + " changed on the server: held " + old + ", now "
                    + now.map(Object::toString).orElse("a different version") + "; held bytes were dropped");
        }
    }

    /** A version's validator as the server gave it: the ETag, else Last-Modified; empty when it gave none. */
    private static String validatorOf(ResourceVersion v) {
        return v.etag().or(v::lastModified).orElse("");
    }

    private static ResourceVersion versionOf(RangeResponse response, long length) {
        return new ResourceVersion(length, response.header("ETag"), response.header("Last-Modified"));
    }

    private static ResourceInfo infoOf(URI uri, ResourceVersion v, Optional<String> contentType, boolean ranges) {
        return new ResourceInfo(uri, v.length(), v.etag(), v.lastModified(), contentType, ranges);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("stream for " + uri + " is closed");
        }
    }
}
