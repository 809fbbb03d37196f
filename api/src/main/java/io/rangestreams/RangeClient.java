package io.rangestreams;

import io.rangestreams.internal.ClientParts;
import io.rangestreams.internal.EngineOptions;
import io.rangestreams.internal.EngineSettings;
import io.rangestreams.internal.FetchThreads;
import io.rangestreams.internal.FormatProviders;
import io.rangestreams.internal.HttpRangeStream;
import io.rangestreams.internal.UriRefresh;
import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeStreamProvider;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.RangeTransportProvider;
import io.rangestreams.spi.RequestHeaders;
import io.rangestreams.spi.StoreOptions;
import io.rangestreams.spi.TlsTrust;
import io.rangestreams.spi.TransportOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Opens {@link RangeStream}s over one transport and one store, with one set of options.
 *
 * <pre>{@code
 * try (RangeClient client = RangeClient.builder().transport("jdk").store("memory?maxBytes=64m").build();
 *      RangeStream stream = client.open(URI.create("https://example.org/big.zip"))) {
 *     byte[] tail = stream.read(Range.suffix(22));
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} closes the transport and the store (also when they were given as
 * instances) and is idempotent; opening after close throws {@link IllegalStateException}.
 */
public final class RangeClient implements AutoCloseable {

    private final RangeTransport transport;
    private final RangeStore store;
    private final EngineOptions options;
    private final ExecutorService executor;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final RangeEventListener events;
    private final int maxConnections;
    private final UriRefresh uriRefresh;

    private RangeClient(RangeTransport transport, RangeStore store, EngineOptions options, RangeEventListener events,
            int maxConnections, UriRefresh uriRefresh) {
        this.uriRefresh = uriRefresh;
        this.events = events;
        this.maxConnections = maxConnections;
        this.transport = transport;
        this.store = store;
        this.options = options;
        this.executor = FetchThreads.newExecutor();
    }

    /**
     * A client with the discovered transport and store and default options.
     *
     * @throws IllegalStateException if none or several transports (or stores) are on the class path
     *     and none is named by system property or environment variable
     */
    public static RangeClient create() {
        return builder().build();
    }

    /** A builder for a client. */
    public static Builder builder() {
        return new Builder();
    }

    /** The transport this client sends requests with. */
    public RangeTransport transport() {
        return transport;
    }

    /** The store this client keeps fetched bytes in. */
    public RangeStore store() {
        return store;
    }

    /**
     * Opens a stream; no request is sent until the first read.
     *
     * @throws IllegalArgumentException if the URI is not an absolute http or https URI
     */
    public RangeStream open(URI uri) {
        return open(uri, transport);
    }

    /** Opens a stream whose requests go through {@code through} (the client's transport, as a batch sees it). */
    RangeStream open(URI uri, RangeTransport through) {
        requireOpen();
        return new HttpRangeStream(checked(uri), through, store, options, executor, events, uriRefresh);
    }

    /**
     * A batch over this client: one function over many URIs at once, at most {@value Batch#DEFAULT_JOBS}
     * at work at once and, on one host, at most the transport's connections per host
     * ({@link Builder#maxConnections(int)}, 16 by default).
     */
    public Batch batch() {
        return new Batch(this, Batch.DEFAULT_JOBS, maxConnections, BatchListener.NONE);
    }

    /**
     * Applies {@code function} to a stream of each URI, many at once, with the limits of {@link #batch()}:
     * {@code client.forEach(uris, RangeStream::length)}.
     *
     * @return each URI's outcome, a value or a failure, in the order given
     * @throws InterruptedException if interrupted while waiting: the batch is then cancelled
     */
    public <T> List<Outcome<T>> forEach(Collection<URI> uris, StreamFunction<RangeStream, T> function)
            throws InterruptedException {
        return batch().run(uris, function);
    }

    /**
     * Opens a stream and fetches {@code initial} at once: {@link Range#EMPTY} probes the length, a
     * suffix range reads the tail before the length is known.
     */
    public RangeStream open(URI uri, Range initial) throws IOException {
        Objects.requireNonNull(initial, "initial");
        RangeStream stream = open(uri);
        try {
            if (initial.isEmpty()) {
                stream.length();
            } else {
                stream.fetch(initial);
            }
            return stream;
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    /**
     * Opens a format-aware stream (e.g. {@code ZipStream.class}), made by the {@link RangeStreamProvider}
     * for that type found on the class path.
     *
     * @throws IllegalArgumentException if no provider makes that type
     */
    public <S extends RangeStream> S open(URI uri, Class<S> format) throws IOException {
        return open(uri, format, formatProvider(format), transport);
    }

    /** Opens a format-aware stream made by {@code provider}, whose requests go through {@code through}. */
    <S extends RangeStream> S open(URI uri, Class<S> format, RangeStreamProvider<?> provider, RangeTransport through)
            throws IOException {
        RangeStream base = open(uri, through);
        try {
            return format.cast(provider.open(base));
        } catch (IOException | RuntimeException e) {
            base.close();
            throw e;
        }
    }

    /** The provider that makes {@code format}, or an {@link IllegalArgumentException} naming those found. */
    static RangeStreamProvider<?> formatProvider(Class<? extends RangeStream> format) {
        return FormatProviders.of(format, RangeClient.class.getClassLoader());
    }

    /** The format providers on the class path. */
    public static List<RangeStreamProvider<?>> formatProviders() {
        return FormatProviders.all(RangeClient.class.getClassLoader());
    }

    private static URI checked(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("unsupported URI scheme '" + uri.getScheme() + "' in " + uri
                    + "; expected http or https");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("URI has no host: " + uri);
        }
        return uri;
    }

    void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("client is closed");
        }
    }

    /**
     * Closes the transport and the store; idempotent. Background fetches (readahead) are stopped, and
     * waited for up to two seconds (one blocked on a stalled server may take longer: it is
     * left to its read timeout), so none sends a request or writes to the store after this returns.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            FetchThreads.close(executor, transport, store);
        }
    }

    /** Configures a {@link RangeClient}. Not thread-safe. */
    public static final class Builder {
        private Optional<String> transportName = Optional.empty();
        private RangeTransport transportInstance;
        private RangeTransportProvider transportProvider;
        private Optional<String> storeSpec = Optional.empty();
        private RangeStore storeInstance;
        private TransportOptions transportOptions = TransportOptions.defaults();
        private Map<String, String> environment = System.getenv();
        private final List<RangeEventListener> listeners = new ArrayList<>();
        private final EngineSettings engine = new EngineSettings();
        private UriRefresh uriRefresh = UriRefresh.none();

        private Builder() {}

        /** Adds a listener to this client's events; several are told in the order added. */
        public Builder eventListener(RangeEventListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Uses the transport of that name ({@code jdk}, {@code okhttp}, {@code apache}).
         *
         * @throws IllegalArgumentException at {@link #build()} if no such transport is on the class path
         */
        public Builder transport(String name) {
            this.transportName = Optional.of(Objects.requireNonNull(name, "name"));
            this.transportInstance = null;
            this.transportProvider = null;
            return this;
        }

        /** Uses this transport; the client closes it. */
        public Builder transport(RangeTransport transport) {
            this.transportInstance = Objects.requireNonNull(transport, "transport");
            this.transportName = Optional.empty();
            this.transportProvider = null;
            return this;
        }

        /**
         * Creates the transport with this provider and the options set on this builder, instead of looking
         * a provider up with {@link java.util.ServiceLoader} (which reads the index of every jar on the class
         * path); the client closes the transport.
         */
        public Builder transport(RangeTransportProvider provider) {
            this.transportProvider = Objects.requireNonNull(provider, "provider");
            this.transportName = Optional.empty();
            this.transportInstance = null;
            return this;
        }

        /**
         * Uses the store of that spec, {@code name[:location][?key=value&...]}.
         *
         * @throws IllegalArgumentException at once if the spec is malformed
         */
        public Builder store(String spec) {
            StoreOptions.parse(spec);
            this.storeSpec = Optional.of(spec);
            this.storeInstance = null;
            return this;
        }

        /** Uses this store; the client closes it. */
        public Builder store(RangeStore store) {
            this.storeInstance = Objects.requireNonNull(store, "store");
            this.storeSpec = Optional.empty();
            return this;
        }

        /**
         * Reads fetch whole blocks of this many bytes (default 64 KiB), and a footer read before the length
         * is known at least one block; {@code fetch} and {@code fetchAll} fetch just what they name.
         */
        public Builder blockSize(int bytes) {
            engine.blockSize(bytes);
            return this;
        }

        /** Readahead while reads are sequential: starts at {@code initial}, doubles up to {@code max}. */
        public Builder readahead(long initial, long max) {
            engine.readahead(initial, max);
            return this;
        }

        /** Gaps closer than this are fetched in one request (default 64 KiB; 0 turns coalescing off). */
        public Builder maxGap(long bytes) {
            engine.maxGap(bytes);
            return this;
        }

        /**
         * The largest request planned for a read or a fetch (default 32 MiB). A long sequential read
         * streams requests that the server sends only as fast as the reader reads (the rest is given
         * up when the reader stops or jumps): of this size (or one readahead window when that is more)
         * when one body does not keep up with the network on one thread (OkHttp, or the JDK client on two
         * threads), so two connections carry the read at once for much of it; else of 32 windows when that
         * is more (1 GiB by default). See
         * {@link io.rangestreams.spi.RangeTransport#bodyReading()}.
         */
        public Builder maxRequestSize(long bytes) {
            engine.maxRequestSize(bytes);
            return this;
        }

        /** The most requests one stream runs at once (default 16). */
        public Builder parallelism(int requests) {
            engine.parallelism(requests);
            return this;
        }

        /**
         * The most ranges {@link RangeStream#fetchAll} sends together in one request (default 1: each
         * planned range alone). Above 1, scattered ranges go as one {@code Range: bytes=a-b,c-d,...}
         * request per group, answered with a {@code multipart/byteranges} body; a server that answers
         * {@code 200} instead is remembered for the stream, and its ranges are fetched one per request.
         * The bytes kept are checked as a single range's are.
         *
         * @throws IllegalArgumentException if {@code ranges} is below 1
         */
        public Builder maxRangesPerRequest(int ranges) {
            engine.maxRangesPerRequest(ranges);
            return this;
        }

        /** How many times a failed or cut-short request is retried (default 3). */
        public Builder retries(int times) {
            engine.retries(times);
            return this;
        }

        /** The longest {@code Retry-After} honoured, and the backoff ceiling (default 10 s). */
        public Builder retryAfterCap(Duration cap) {
            engine.retryAfterCap(cap);
            return this;
        }

        /** The memory limit of the buffer used when a server ignores ranges (default 5 MiB). */
        public Builder fallbackMemoryLimit(long bytes) {
            engine.fallbackMemoryLimit(bytes);
            return this;
        }

        /**
         * The most bytes that buffer takes from a server that ignores ranges, in memory and on disk together
         * (default: the store's {@link io.rangestreams.spi.RangeStore#maxBytes() bound} when it has one, else
         * 1 GiB). A longer body, or one without end, fails the reads that need bytes past it (and the
         * length) with a {@link RangeStreamException} naming the URI and the bound, and its connection is
         * closed; bytes within it are served as they arrive.
         */
        public Builder fallbackMaxBytes(long bytes) {
            engine.fallbackMaxBytes(bytes);
            return this;
        }

        /** Where that buffer spills to disk (default: the temporary directory). */
        public Builder spillDirectory(Path directory) {
            engine.spillDirectory(directory);
            return this;
        }

        /** When held bytes are validated against the server (default {@link Revalidation#ONCE}). */
        public Builder revalidation(Revalidation revalidation) {
            engine.revalidation(revalidation);
            return this;
        }

        /** What happens when the remote file changed (default {@link ChangePolicy#REFETCH}). */
        public Builder onChange(ChangePolicy policy) {
            engine.onChange(policy);
            return this;
        }

        /** Connect timeout of a transport created by name (default 10 s). */
        public Builder connectTimeout(Duration timeout) {
            transportOptions = transportOptions.withConnectTimeout(timeout);
            return this;
        }

        /** Read timeout of a transport created by name (default 30 s). */
        public Builder readTimeout(Duration timeout) {
            transportOptions = transportOptions.withReadTimeout(timeout);
            return this;
        }

        /** A header sent with every request of a transport created by name. */
        public Builder header(String name, String value) {
            transportOptions = transportOptions.withHeader(name, value);
            return this;
        }

        /** An HTTP proxy for a transport created by name. */
        public Builder proxy(InetSocketAddress address) {
            transportOptions = transportOptions.withProxy(address);
            return this;
        }

        /** The most connections per host of a transport created by name (default 16). */
        public Builder maxConnections(int max) {
            transportOptions = transportOptions.withMaxConnections(max);
            return this;
        }

        /** The most redirects followed per request by a transport created by name (default 10). */
        public Builder maxRedirects(int max) {
            transportOptions = transportOptions.withMaxRedirects(max);
            return this;
        }

        /**
         * The certificates a transport created by name trusts over https, instead of the JVM's default
         * ones: {@code TlsTrust.fromPem(Path.of("ca.pem"))} for a PEM file of CA certificates.
         */
        public Builder trust(TlsTrust trust) {
            transportOptions = transportOptions.withTrust(trust);
            return this;
        }

        /**
         * Headers made afresh for every request of a transport created by name (a bearer token that is
         * refreshed before it expires); an {@code Authorization} among them never goes to another origin.
         */
        public Builder requestHeaders(RequestHeaders source) {
            transportOptions = transportOptions.withRequestHeaders(source);
            return this;
        }

        /** The {@code Proxy-Authorization} value a transport created by name sends to its {@link #proxy}. */
        public Builder proxyAuthorization(String value) {
            transportOptions = transportOptions.withProxyAuthorization(value);
            return this;
        }

        /** The HTTP version a transport created by name asks for (default HTTP/2 where a server offers it over TLS). */
        public Builder httpVersion(TransportOptions.HttpVersion version) {
            transportOptions = transportOptions.withHttpVersion(version);
            return this;
        }

        /**
         * Replaces an expired URI (a signed URL) when the server answers {@code 401} or {@code 403}: the
         * stream resumes from its last byte received at the URI {@code refresher} gives, under the version
         * it serves; one refresh serves every request of the stream that failed with the same URI. A
         * request is re-sent after a refresh at most as many times as {@link #retries(int)} (at least once);
         * a refresher that throws ends the read with its error.
         */
        public Builder uriRefresher(UriRefresher refresher) {
            return uriRefresher(refresher, UriRefresh.DEFAULT_STATUSES);
        }

        /**
         * As {@link #uriRefresher(UriRefresher)}, called on the given statuses instead of 401 and 403.
         *
         * @throws IllegalArgumentException if a status is not a 4xx status or none is given
         */
        public Builder uriRefresher(UriRefresher refresher, Set<Integer> statuses) {
            Objects.requireNonNull(refresher, "refresher");
            if (statuses.isEmpty()) {
                throw new IllegalArgumentException("a URI refresher needs at least one status");
            }
            uriRefresh = new UriRefresh(Optional.of(refresher), statuses);
            return this;
        }

        /** The environment variables consulted for selection (default {@link System#getenv()}); for tests. */
        public Builder environment(Map<String, String> variables) {
            this.environment = Map.copyOf(variables);
            return this;
        }

        /**
         * Builds the client: selects and creates the transport and opens the store.
         *
         * @throws IllegalArgumentException for an unknown transport or store name or a malformed spec
         * @throws IllegalStateException if none or several are found and none is named
         * @throws UncheckedIOException if the store cannot be opened
         */
        public RangeClient build() {
            ClientParts parts = ClientParts.open(Optional.ofNullable(transportInstance),
                    Optional.ofNullable(transportProvider), transportName,
                    Optional.ofNullable(storeInstance), storeSpec, transportOptions, environment);
            return new RangeClient(parts.transport(), parts.store(), engine.options(), RangeEventListener.all(listeners),
                    transportOptions.maxConnections(), uriRefresh);
        }
    }
}
