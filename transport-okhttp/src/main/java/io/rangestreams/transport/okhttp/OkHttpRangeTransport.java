package io.rangestreams.transport.okhttp;

import io.rangestreams.spi.BodyReading;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.TlsTrust;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.spi.support.ExchangeSlots;
import io.rangestreams.spi.support.Redirects;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Proxy;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A {@link RangeTransport} over OkHttp 5.
 *
 * <p>Every request says {@code Accept-Encoding: identity}, which also stops OkHttp from asking for gzip
 * and decoding bodies on its own, so byte offsets are always the file's. OkHttp's own redirect following
 * is turned off: redirects are followed here by the rules of {@link Redirects}. Bodies are streamed from
 * the connection; closing a response before its end drops that connection rather than reading the rest.
 *
 * <p>Built from {@link TransportOptions}: HTTP/2 where the server offers it over TLS (ALPN; OkHttp then
 * multiplexes every request to a host over one connection) unless the options ask for HTTP/1.1, the trusted
 * certificates, the proxy's {@code Proxy-Authorization} (on plain http requests, and on the {@code CONNECT}
 * of an https tunnel), the connect and read timeouts are OkHttp's (the read timeout
 * bounds every socket read, so a server stalling mid-body ends in a {@link java.net.SocketTimeoutException};
 * for an HTTP/1 body, through the socket's {@code SO_TIMEOUT} alone, see {@code exchange}),
 * the proxy is OkHttp's, sockets go without Nagle's delay ({@link NoDelaySocketFactory}), and at most {@link TransportOptions#maxConnections()} exchanges are in flight
 * (OkHttp itself bounds only idle connections for synchronous calls).
 *
 * <p>Thread-safe.
 */
public final class OkHttpRangeTransport implements RangeTransport {

    private final OkHttpClient client;
    private final TransportOptions options;
    private final Optional<ExchangeSlots> slots;
    private final boolean ownsClient;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A transport over a new client configured from the options; {@link #close()} shuts it down. */
    public OkHttpRangeTransport(TransportOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .connectTimeout(options.connectTimeout())
                .readTimeout(options.readTimeout())
                .writeTimeout(options.readTimeout())
                .followRedirects(false)
                .followSslRedirects(false)
                .connectionPool(new ConnectionPool(options.maxConnections(), 5, TimeUnit.MINUTES))
                .socketFactory(new NoDelaySocketFactory());
        options.proxy().ifPresent(p -> builder.proxy(new Proxy(Proxy.Type.HTTP, p)));
        options.proxyAuthorization().ifPresent(v -> builder.proxyAuthenticator((route, response) ->
                // Called before a CONNECT (preemptively) and on a 407: once sent, a 407 is final.
                response.request().header("Proxy-Authorization") != null ? null
                        : response.request().newBuilder().header("Proxy-Authorization", v).build()));
        options.trust().ifPresent(t -> builder.sslSocketFactory(t.sslContext().getSocketFactory(),
                t.trustManager().orElseGet(OkHttpRangeTransport::platformTrustManager)));
        if (options.httpVersion() == TransportOptions.HttpVersion.HTTP_1_1) {
            builder.protocols(List.of(Protocol.HTTP_1_1));
        }
        this.client = builder.build();
        this.slots = Optional.of(new ExchangeSlots(options.maxConnections(),
                options.connectTimeout().plus(options.readTimeout())));
        this.ownsClient = true;
    }

    /**
     * A transport over the caller's own client, keeping its settings (timeouts, TLS, proxy, interceptors,
     * connection pool, dispatcher), with {@link TransportOptions#defaults()} for headers and the redirect
     * limit. The client is shared, not copied, apart from its redirect following, which is turned off;
     * {@link #close()} leaves it to its owner.
     */
    public OkHttpRangeTransport(OkHttpClient client) {
        this(client, TransportOptions.defaults());
    }

    /**
     * A transport over the caller's own client, keeping its settings, with the options' extra headers and
     * redirect limit. The options' timeouts, proxy and connection limit are not applied: the client's own
     * settings rule. {@link #close()} leaves the client to its owner.
     */
    public OkHttpRangeTransport(OkHttpClient client, TransportOptions options) {
        Objects.requireNonNull(client, "client");
        this.options = Objects.requireNonNull(options, "options");
        this.client = client.newBuilder().followRedirects(false).followSslRedirects(false).build();
        this.slots = Optional.empty();
        this.ownsClient = false;
    }

    /** The client this transport sends through, for this package's tests. */
    OkHttpClient client() {
        return client;
    }

    @Override
    public String name() {
        return "okhttp";
    }

    @Override
    public Set<Capability> capabilities() {
        return ownsClient ? Set.of(Capability.PROXY) : Set.of();
    }

    /** OkHttp reads a body on the caller's thread, through Okio's buffer (each read is copied out of it). */
    @Override
    public BodyReading bodyReading() {
        return BodyReading.onCallerThread(true);
    }

    @Override
    public RangeResponse send(RangeRequest request) throws IOException {
        Objects.requireNonNull(request, "request");
        if (closed.get()) {
            throw new IllegalStateException("transport okhttp is closed");
        }
        return Redirects.follow(options, request, this::exchange);
    }

    private RangeResponse exchange(RangeRequest r) throws IOException {
        Runnable release = slots.isPresent() ? slots.get().acquire(r) : () -> {};
        Call call = client.newCall(toOkHttp(r));
        Response response;
        try {
            response = call.execute();
        } catch (IOException e) {
            release.run();
            Optional<SSLException> tls = TlsTrust.tlsCause(e);
            throw tls.isPresent() ? TlsTrust.failure(r.uri(), tls.get()) : e;
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        if (response.protocol() == Protocol.HTTP_1_1 || response.protocol() == Protocol.HTTP_1_0) {
            // Okio times each socket read of the body itself, waking its watchdog thread every few reads
            // (97,000 times in 3 GiB). For HTTP/1 OkHttp also sets the socket's SO_TIMEOUT to the read
            // timeout, which bounds every read as well, so the body goes without Okio's (the next
            // exchange on the connection sets it again). HTTP/2 streams keep theirs.
            response.body().source().timeout().clearTimeout();
        }
        String protocol = response.protocol() == Protocol.HTTP_2 ? RangeResponse.HTTP_2 : RangeResponse.HTTP_1_1;
        return new RangeResponse(response.code(), r.uri(), response.headers().toMultimap(), new Body(call, response, release),
                protocol);
    }

    private Request toOkHttp(RangeRequest r) {
        Request.Builder b = new Request.Builder().url(r.uri().toString());
        if (r.method().equals("HEAD")) {
            b.head();
        } else {
            b.get();
        }
        // Setting Accept-Encoding ourselves (wireHeaders does) is what turns off OkHttp's transparent gzip.
        r.wireHeaders().forEach(b::header);
        if (ownsClient && options.proxy().isPresent() && r.uri().getScheme().equalsIgnoreCase("http")) {
            // A plain http request goes to the proxy itself, which reads this header and drops it.
            options.proxyAuthorization().ifPresent(v -> b.header("Proxy-Authorization", v));
        }
        return b.build();
    }

    /** The JVM's default trust manager, which OkHttp is given beside a caller's own TLS context (see {@link TlsTrust}). */
    private static X509TrustManager platformTrustManager() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager m : factory.getTrustManagers()) {
                if (m instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the JVM has no default X509TrustManager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no default trust manager: " + e.getMessage(), e);
        }
    }


    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && ownsClient) {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    @Override
    public String toString() {
        return "OkHttpRangeTransport";
    }

    /**
     * A response body that gives its exchange slot back at its end or when closed. Closed before its end, it
     * cancels its call, which drops the connection: OkHttp would otherwise go on reading it for a while to
     * reuse the connection, which for an endless body means tens of MiB nobody asked for.
     */
    private static final class Body extends FilterInputStream {
        private final Call call;
        private final Response response;
        private final Runnable release;
        private volatile boolean ended;
        private volatile long taken;

        Body(Call call, Response response, Runnable release) {
            super(response.body().byteStream());
            this.call = call;
            this.response = response;
            this.release = release;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                taken++;
            }
            if (b < 0) {
                ended = true;
                release.run();
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (len == 0) {
                // InputStream's contract; Okio's stream would block for data it was not asked for
                // (InputStream.readNBytes ends every full buffer with such a read).
                return 0;
            }
            int n = super.read(buf, off, len);
            if (n > 0) {
                taken += n;
            }
            if (n < 0) {
                ended = true;
                release.run();
            }
            return n;
        }

        @Override
        public void close() {
            try {
                long length = response.body().contentLength();
                // A body read to its stated length leaves the connection reusable, as does one read to its end.
                if (!ended && (length < 0 || taken < length)) {
                    call.cancel();
                }
                response.close();
            } finally {
                release.run();
            }
        }
    }
}
