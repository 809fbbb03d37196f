package io.rangestreams.internal;

import io.rangestreams.Range;
import io.rangestreams.RangeEventListener;
import io.rangestreams.RangeNotSatisfiableException;
import io.rangestreams.RangeSet;
import io.rangestreams.RangeStream;
import io.rangestreams.ResourceInfo;
import io.rangestreams.Revalidation;
import io.rangestreams.StreamBuffer;
import io.rangestreams.spi.BodyReading;
import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeTransport;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * The engine's {@link RangeStream}: the public methods, each handing the work to the parts (see
 * {@code docs/architecture.md}): {@link Discovery} learns the length, {@link SingleFlight} makes sure
 * bytes are held, {@link StoreReads} copies them out, {@link Prefetch} and {@link StreamingReadahead} keep
 * a sequential reader's bytes on their way. All of them share one {@link ResourceState}.
 */
public final class HttpRangeStream implements RangeStream {

    /** How many readahead windows one streaming request asks for (when more than maxRequestSize). */
    private static final int STREAM_WINDOWS = 32;

    private final URI uri;
    private final String key;
    private final RangeStore store;
    private final StreamContext context;
    private final ResourceState state;
    private final Readahead readahead;
    private final Discovery discovery;
    private final SingleFlight flights;
    private final StoreReads reads;
    private final Prefetch prefetch;
    private final StreamingReadahead streaming;

    /** Opens a stream over {@code uri} without a URI refresher; sends nothing yet. */
    public HttpRangeStream(URI uri, RangeTransport transport, RangeStore store, EngineOptions options,
            ExecutorService executor, RangeEventListener events) {
        this(uri, transport, store, options, executor, events, UriRefresh.none());
    }

    /** Opens a stream over {@code uri} whose expired URI {@code refresh} replaces; sends nothing yet. */
    public HttpRangeStream(URI uri, RangeTransport transport, RangeStore store, EngineOptions options,
            ExecutorService executor, RangeEventListener events, UriRefresh refresh) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.key = canonicalKey(uri);
        this.store = store;
        this.context = new StreamContext(uri, key, transport, store, options, events, new StreamStats(),
                new CurrentUri(uri, refresh));
        this.state = new ResourceState(new VersionTracker(options.revalidation()));
        // Two windows may be in flight ahead of a reader: in a bounded store, keep them to half of it so
        // prefetched bytes are not evicted (and fetched twice) before they are read.
        long max = Math.min(options.readaheadMax(), Math.max(options.blockSize(), store.maxBytes() / 4));
        this.readahead = new Readahead(Math.min(options.readaheadInitial(), max), max);
        // How much one streaming request asks for; the next stream starts a window before it ends. When
        // one thread cannot keep up with one body, streams of maxRequestSize keep two connections (and two
        // reading threads) busy; else long streams of STREAM_WINDOWS windows. With parallelism 1, long ones.
        BodyReading bodies = Objects.requireNonNullElse(transport.bodyReading(), BodyReading.UNKNOWN);
        long streamSize = StreamingReadahead.twoConnections(bodies) && options.parallelism() > 1
                ? Math.max(options.maxRequestSize(), max)
                : Math.max(options.maxRequestSize(), STREAM_WINDOWS * max);
        Exchange exchange = new Exchange(context);
        Receiver receiver = new Receiver(context, state);
        VersionSync versions = new VersionSync(context, state);
        Fallback fallback = new Fallback(context, state, versions);
        ResumingFetch fetch = new ResumingFetch(context, state, exchange, receiver, versions, fallback);
        MultiRangeFetch multi = new MultiRangeFetch(context, state, exchange, receiver, versions);
        this.discovery = new Discovery(context, state, exchange, fetch, versions, fallback, receiver, multi);
        this.streaming = new StreamingReadahead(context, state, executor, exchange, fetch, receiver, versions,
                StreamingReadahead.readersReadStreams(bodies));
        this.flights = new SingleFlight(context, state, executor, fetch, streaming, discovery, versions, multi);
        this.reads = new StoreReads(context, state, flights, fetch, exchange, receiver, versions);
        this.prefetch = new Prefetch(context, state, executor, flights, streaming, max, streamSize);
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
        return discovery.resource();
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
        discovery.learnWhileFetchingAll(ranges);
        for (Range r : ranges) {
            Range abs = discovery.resolve(r);
            if (abs.isEmpty()) {
                continue;
            }
            discovery.learnWhileFetching(abs, true);
            long length = discovery.lengthReaching(abs.stop());
            if (abs.start() >= length) {
                throw new RangeNotSatisfiableException("range " + r + " of " + uri + " lies past the end (length "
                        + length + ")");
            }
            resolved.add(Range.of(abs.start(), Math.min(abs.stop(), length)));
        }
        flights.ensure(RangeSet.ofAll(resolved), true);
    }

    @Override
    public RangeSet ranges() {
        requireOpen();
        synchronized (state) {
            if (state.fallback != null) {
                return RangeSet.of(Range.of(0, state.fallback.available()));
            }
        }
        try {
            return store.ranges(key);
        } catch (IOException e) {
            throw new UncheckedIOException("reading ranges of " + uri + " from store " + store.name(), e);
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
        Optional<Integer> fast = readHeld(position, dst);
        if (fast.isPresent()) {
            return fast.get();
        }
        discovery.learnWhileFetching(Range.of(position, position + dst.remaining()), false);
        long length = discovery.lengthReaching(position + dst.remaining());
        if (position >= length) {
            return -1;
        }
        long stop = Math.min(length, position + dst.remaining());
        Range wanted = Range.of(position, stop);
        long window;
        synchronized (state) {
            window = readahead.next(position, stop);
            if (window > 0) {
                streaming.extend(position, Math.min(length, stop + window));
            }
        }
        return readFetching(wanted, window, length, dst);
    }

    /**
     * The common case of a read, in one turn of the lock: the version is settled and every byte asked
     * for is held. Records the read for readahead, copies, and keeps the window on its way.
     *
     * @return the bytes read (-1 at the end), or empty when the slow path must run (and nothing was
     *     recorded or copied)
     */
    private Optional<Integer> readHeld(long position, ByteBuffer dst) throws IOException {
        long length;
        long stop;
        long window;
        long gen;
        boolean windowHeld;
        synchronized (state) {
            VersionTracker t = state.versions;
            if (!t.loaded() || t.versionOrNull() == null || !t.validated() || state.fallback != null) {
                return Optional.empty();
            }
            length = t.versionOrNull().length();
            if (position >= length) {
                return Optional.of(-1);
            }
            stop = Math.min(length, position + dst.remaining());
            Optional<Range> run = store.ranges(key).rangeContaining(position);
            if (run.isEmpty() || run.get().stop() < stop) {
                return Optional.empty();
            }
            window = readahead.next(position, stop);
            if (window > 0) {
                streaming.extend(position, Math.min(length, stop + window));
            }
            windowHeld = run.get().stop() - stop >= window || run.get().stop() >= length;
            gen = t.generation();
        }
        Range wanted = Range.of(position, stop);
        int start = dst.position();
        long pos = reads.copyFromStore(position, start + wanted.length(), dst);
        boolean same;
        synchronized (state) {
            same = gen == state.versions.generation();
        }
        if (pos < stop || !same) {
            // Evicted or changed while copying: the readahead step is taken, the rest as any read.
            dst.position(start);
            return Optional.of(readFetching(wanted, window, length, dst));
        }
        reads.servedFromStore(wanted.length());
        if (!windowHeld) {
            prefetch.prefetch(stop, window, length);
        }
        return Optional.of((int) wanted.length());
    }

    /** A read past its readahead step: fetches what is missing (with its window), copies, prefetches. */
    private int readFetching(Range wanted, long window, long length, ByteBuffer dst) throws IOException {
        Range fetchRange = wanted;
        if (window > 0 && !flights.heldOrFlyingEncloses(wanted)) {
            // A sequential reader ran out of bytes: fetch its window with what it needs now.
            fetchRange = Range.of(wanted.start(), Math.min(length, wanted.stop() + window));
        }
        int n = reads.copy(wanted, fetchRange, dst, false);
        if (window > 0) {
            prefetch.prefetch(wanted.stop(), window, length);
        }
        return n;
    }

    @Override
    public byte[] read(Range range) throws IOException {
        requireOpen();
        Objects.requireNonNull(range, "range");
        for (int attempt = 1; ; attempt++) {
            long generation = generation();
            byte[] bytes = readOnce(range);
            // A range counted from the end was placed by a length that changed while it was read: place it again.
            if (range.isResolved() || generation() == generation || attempt == 3) {
                return bytes;
            }
        }
    }

    private long generation() {
        synchronized (state) {
            return state.versions.generation();
        }
    }

    private byte[] readOnce(Range range) throws IOException {
        startOperation();
        long fetchedBefore = context.stats().fetched();
        Range abs = discovery.resolve(range);
        discovery.learnWhileFetching(abs, false);
        boolean fetchedToResolve = context.stats().fetched() != fetchedBefore;
        long length = discovery.lengthReaching(abs.stop());
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
        reads.copy(abs, abs, dst, fetchedToResolve);
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
        StreamStats s = context.stats();
        return new Stats(s.requests(), s.fetched(), s.fromStore());
    }

    @Override
    public void close() {
        StreamBuffer buffer;
        List<SentRequest> abandoned;
        synchronized (state) {
            if (state.closed) {
                return;
            }
            state.closed = true;
            buffer = state.fallback;
            state.notifyAll(); // a streaming fetch waiting for its reader gives up its request
            abandoned = streaming.endIdleHandedOver();
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

    /** At the start of each public read: with ALWAYS, held bytes must be validated again. */
    private void startOperation() {
        if (context.options().revalidation() == Revalidation.ALWAYS) {
            synchronized (state) {
                state.versions.startOperation();
            }
        }
    }

    private void requireOpen() {
        if (state.closed) {
            throw new IllegalStateException("stream for " + uri + " is closed");
        }
    }
}
