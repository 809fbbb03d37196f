package io.rangestreams.transport.apache;

import io.rangestreams.spi.BodyReading;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.TlsTrust;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.spi.support.Redirects;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpHead;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.EofSensorInputStream;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * A {@link RangeTransport} over Apache HttpClient 5, classic (blocking) API.
 *
 * <p>Every request says {@code Accept-Encoding: identity} and content decompression is off, so byte
 * offsets are always the file's. HttpClient's redirect handling is off: redirects are followed here by
 * the rules of {@link Redirects}. Bodies are streamed from the connection; a body read to its end gives
 * the connection back to the pool, and closing a response before its end drops the connection instead of
 * reading (possibly gigabytes of) the rest.
 *
 * <p>The classic client speaks HTTP/1.1 only (HTTP/2 is in HttpClient's async API): over https each request in
 * flight has its own connection, whatever {@link TransportOptions#httpVersion()} asks for.
 *
 * <p>Built from {@link TransportOptions}: the trusted certificates, the proxy's {@code Proxy-Authorization}
 * (on plain http requests, which go to the proxy; not on the {@code CONNECT} of an https tunnel), the
 * connect timeout and the read timeout (the socket timeout,
 * which bounds every read, so a server stalling mid-body ends in a {@link java.net.SocketTimeoutException}),
 * the proxy, and a pool of {@link TransportOptions#maxConnections()} connections per host. HttpClient's
 * automatic retries and cookie handling are off: the engine decides on retries, and cookies are only
 * ever sent as the caller's explicit headers.
 *
 * <p>Thread-safe.
 */
public final class ApacheRangeTransport implements RangeTransport {

    private final CloseableHttpClient client;
    private final TransportOptions options;
    private final Optional<RequestConfig> requestConfig;
    private final boolean ownsClient;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A transport over a new client configured from the options; {@link #close()} closes it. */
    public ApacheRangeTransport(TransportOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        ConnectionConfig connection = ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(options.connectTimeout()))
                .setSocketTimeout(Timeout.of(options.readTimeout()))
                .build();
        PoolingHttpClientConnectionManagerBuilder pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnPerRoute(options.maxConnections())
                .setMaxConnTotal(Math.max(25, options.maxConnections()))
                .setDefaultConnectionConfig(connection);
        options.trust().ifPresent(t -> pool.setTlsSocketStrategy(new DefaultClientTlsStrategy(t.sslContext())));
        HttpClientBuilder builder = HttpClients.custom()
                .setConnectionManager(pool.build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(options.connectTimeout().plus(options.readTimeout())))
                        .setResponseTimeout(Timeout.of(options.readTimeout()))
                        .setRedirectsEnabled(false)
                        .setContentCompressionEnabled(false)
                        .build())
                .disableRedirectHandling()
                .disableContentCompression()
                .disableAutomaticRetries()
                .disableCookieManagement()
                // Every request names its own User-Agent; a default here spares the client reading its
                // version file from the class path and formatting one at start.
                .setUserAgent(TransportOptions.USER_AGENT);
        options.proxy().ifPresent(p -> builder.setProxy(new HttpHost("http", p.getHostString(), p.getPort())));
        this.client = builder.build();
        this.requestConfig = Optional.empty();
        this.ownsClient = true;
    }

    /**
     * A transport over the caller's own client, keeping its settings (connection manager with its pool,
     * TLS and socket timeouts, proxy and route planner, interceptors, default headers), with
     * {@link TransportOptions#defaults()} for headers and the redirect limit. {@link #close()} leaves the
     * client to its owner.
     *
     * <p>Each request carries a {@link RequestConfig} that turns redirects and decompression off. HttpClient
     * lets a request's config replace the client's default one as a whole, so the client's default
     * {@code RequestConfig} is not used: set timeouts on the connection manager's {@link ConnectionConfig},
     * or pass a base config with {@link #ApacheRangeTransport(CloseableHttpClient, RequestConfig, TransportOptions)}.
     */
    public ApacheRangeTransport(CloseableHttpClient client) {
        this(client, RequestConfig.DEFAULT, TransportOptions.defaults());
    }

    /**
     * A transport over the caller's own client, keeping its settings, whose requests use {@code base}
     * with redirects and decompression turned off, and the options' extra headers and redirect limit (the
     * options' timeouts, proxy and connection limit are not applied: the client's settings rule).
     * {@link #close()} leaves the client to its owner.
     */
    public ApacheRangeTransport(CloseableHttpClient client, RequestConfig base, TransportOptions options) {
        this.client = Objects.requireNonNull(client, "client");
        this.options = Objects.requireNonNull(options, "options");
        this.requestConfig = Optional.of(RequestConfig.copy(Objects.requireNonNull(base, "base"))
                .setRedirectsEnabled(false)
                .setContentCompressionEnabled(false)
                .build());
        this.ownsClient = false;
    }

    @Override
    public String name() {
        return "apache";
    }

    /**
     * The classic client reads a body on the caller's thread; a read larger than its session buffer goes
     * from the socket straight into the caller's array.
     */
    @Override
    public BodyReading bodyReading() {
        return BodyReading.onCallerThread(false);
    }

    @Override
    public Set<Capability> capabilities() {
        return ownsClient ? Set.of(Capability.PROXY) : Set.of();
    }

    @Override
    public RangeResponse send(RangeRequest request) throws IOException {
        Objects.requireNonNull(request, "request");
        if (closed.get()) {
            throw new IllegalStateException("transport apache is closed");
        }
        return Redirects.follow(options, request, this::exchange);
    }

    private RangeResponse exchange(RangeRequest r) throws IOException {
        ClassicHttpResponse response;
        try {
            response = client.executeOpen(null, toApache(r), null);
        } catch (IOException e) {
            Optional<SSLException> tls = TlsTrust.tlsCause(e);
            throw tls.isPresent() ? TlsTrust.failure(r.uri(), tls.get()) : e;
        }
        try {
            return new RangeResponse(response.getCode(), r.uri(), headersOf(response), new Body(response));
        } catch (IOException | RuntimeException e) {
            abort(response);
            throw e;
        }
    }

    private HttpUriRequestBase toApache(RangeRequest r) {
        HttpUriRequestBase req = r.method().equals("HEAD") ? new HttpHead(r.uri()) : new HttpGet(r.uri());
        r.wireHeaders().forEach(req::setHeader);
        if (ownsClient && options.proxy().isPresent() && r.uri().getScheme().equalsIgnoreCase("http")) {
            // A plain http request goes to the proxy itself, which reads this header and drops it.
            options.proxyAuthorization().ifPresent(v -> req.setHeader("Proxy-Authorization", v));
        }
        requestConfig.ifPresent(req::setConfig);
        return req;
    }

    private static Map<String, List<String>> headersOf(ClassicHttpResponse response) {
        Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Header header : response.getHeaders()) {
            h.computeIfAbsent(header.getName(), k -> new ArrayList<>()).add(header.getValue());
        }
        return h;
    }

    /**
     * Closes a response without reading the rest of its body: the connection is dropped. (Closing the
     * response itself would first drain the body to keep the connection.)
     */
    private static void abort(ClassicHttpResponse response) throws IOException {
        HttpEntity entity = response.getEntity();
        InputStream content = entity != null && entity.isStreaming() ? entity.getContent() : null;
        if (content instanceof EofSensorInputStream sensor) {
            sensor.abort();
        } else {
            response.close();
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && ownsClient) {
            client.close(CloseMode.GRACEFUL);
        }
    }

    @Override
    public String toString() {
        return "ApacheRangeTransport";
    }

    /**
     * A response body: at its end HttpClient gives the connection back to the pool; closed before its end,
     * the connection is dropped rather than drained.
     */
    private static final class Body extends FilterInputStream {
        private final ClassicHttpResponse response;
        private boolean ended;

        Body(ClassicHttpResponse response) throws IOException {
            super(response.getEntity() == null ? InputStream.nullInputStream() : response.getEntity().getContent());
            this.response = response;
            this.ended = response.getEntity() == null;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            ended |= b < 0;
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            ended |= n < 0;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (!ended && in instanceof EofSensorInputStream sensor) {
                sensor.abort();
                return;
            }
            try {
                in.close();
            } finally {
                response.close();
            }
        }
    }
}
