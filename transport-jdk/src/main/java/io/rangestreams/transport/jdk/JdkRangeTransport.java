package io.rangestreams.transport.jdk;

import io.rangestreams.spi.BodyReading;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.TlsTrust;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.spi.support.ExchangeSlots;
import io.rangestreams.spi.support.Redirects;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import javax.net.ssl.SSLException;

/**
 * A {@link RangeTransport} over the JDK's {@link HttpClient}.
 *
 * <p>Every request says {@code Accept-Encoding: identity} (the JDK client never decodes bodies itself).
 * Redirects are followed here by the rules of {@link Redirects}, never by the client. The read timeout
 * bounds the wait for the response headers (the request timeout) and every wait for body bytes: the JDK
 * client has no body read timeout of its own, so bodies are read through a subscriber that gives up,
 * with an {@link java.net.http.HttpTimeoutException}, when a server stalls longer. Bodies are streamed,
 * one batch of buffers at a time.
 *
 * <p>Built from {@link TransportOptions}: HTTP/2 over TLS where the server offers it and the options ask for
 * it (all such requests share the first client's one connection to a host), else HTTP/1.1; the trusted
 * certificates, the connect timeout, the proxy and its {@code Proxy-Authorization} (sent on plain http
 * requests, which go to the proxy), and at most
 * {@link TransportOptions#maxConnections()} exchanges in flight (the JDK client has no per-host limit).
 * Such a transport runs two clients alike, and sends each exchange through the one with fewer
 * exchanges in flight: a JDK client reads all its connections on its one selector thread, and on a long
 * read that thread is the bottleneck, so two clients let two streams be read on two threads
 * ({@link #bodyReading()} then says two threads). A transport over the caller's own client uses that
 * client alone.
 *
 * <p>Thread-safe.
 */
public final class JdkRangeTransport implements RangeTransport {

    private final List<HttpClient> clients; // one, or two built alike (see the class comment)
    private final AtomicIntegerArray inFlight; // exchanges sent through each client and not yet ended
    private final TransportOptions options;
    private final Optional<ExchangeSlots> slots;
    private final boolean ownsClient;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A transport over two new clients configured from the options. */
    public JdkRangeTransport(TransportOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(options.connectTimeout())
                // Body buffers go straight from the client's selector thread into TimedBodySubscriber's
                // queue (a non-blocking add) instead of through a worker thread: one thread hand-off
                // less per buffer took a sequential 1 GiB read from 0.71x to 0.85x of a plain GET.
                .executor(Runnable::run);
        options.proxy().ifPresent(p -> builder.proxy(ProxySelector.of(p)));
        options.trust().ifPresent(t -> builder.sslContext(t.sslContext()));
        // Two clients, each with its selector thread: 1 GiB read through inputStream() went from
        // 0.72-0.85x of a plain GET to 0.88-1.01x (README, "Performance"). HttpClient.Builder may build
        // several clients; each has its own connections.
        this.clients = List.of(builder.build(), builder.build());
        this.inFlight = new AtomicIntegerArray(clients.size());
        this.slots = Optional.of(new ExchangeSlots(options.maxConnections(),
                options.connectTimeout().plus(options.readTimeout())));
        this.ownsClient = true;
    }

    /**
     * A transport over the caller's own client, keeping its settings (version, connect timeout, proxy,
     * TLS, authenticator, executor), with {@link TransportOptions#defaults()} for the read timeout, headers
     * and redirect limit.
     *
     * @throws IllegalArgumentException if the client follows redirects itself: it would then do so by
     *     its own rules (sending {@code Authorization} to another origin), so build it with
     *     {@link HttpClient.Redirect#NEVER}, the default
     */
    public JdkRangeTransport(HttpClient client) {
        this(client, TransportOptions.defaults());
    }

    /**
     * A transport over the caller's own client, keeping its settings, with the options' read timeout,
     * extra headers and redirect limit (the options' connect timeout, proxy and connection limit are not
     * applied: the client's settings rule).
     *
     * @throws IllegalArgumentException if the client follows redirects itself (see {@link #JdkRangeTransport(HttpClient)})
     */
    public JdkRangeTransport(HttpClient client, TransportOptions options) {
        this.clients = List.of(Objects.requireNonNull(client, "client"));
        this.inFlight = new AtomicIntegerArray(1);
        this.options = Objects.requireNonNull(options, "options");
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the HttpClient follows redirects (" + client.followRedirects()
                    + "); build it with followRedirects(HttpClient.Redirect.NEVER): this transport follows them"
                    + " itself, without sending credentials to another origin");
        }
        this.slots = Optional.empty();
        this.ownsClient = false;
    }

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public Set<Capability> capabilities() {
        return ownsClient ? Set.of(Capability.PROXY) : Set.of();
    }

    /**
     * Each client reads all its connections on its own selector thread and queues the bytes for the body
     * stream: one thread per client (two when built from options, one over the caller's client).
     */
    @Override
    public BodyReading bodyReading() {
        return BodyReading.onClientThreads(clients.size(), true);
    }

    @Override
    public RangeResponse send(RangeRequest request) throws IOException {
        Objects.requireNonNull(request, "request");
        if (closed.get()) {
            throw new IllegalStateException("transport jdk is closed");
        }
        return Redirects.follow(options, request, r -> {
            HttpResponse<InputStream> response = execute(r);
            String protocol = response.version() == HttpClient.Version.HTTP_2 ? RangeResponse.HTTP_2 : RangeResponse.HTTP_1_1;
            return new RangeResponse(response.statusCode(), r.uri(), response.headers().map(), response.body(), protocol);
        });
    }

    /** Whether {@code r} asks for HTTP/2: over TLS only, where ALPN negotiates it (no cleartext upgrade). */
    private boolean http2(RangeRequest r) {
        return ownsClient && options.httpVersion() == TransportOptions.HttpVersion.HTTP_2
                && r.uri().getScheme().equalsIgnoreCase("https");
    }

    private HttpResponse<InputStream> execute(RangeRequest r) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(r.uri()).timeout(options.readTimeout());
        if (r.method().equals("HEAD")) {
            b.method("HEAD", HttpRequest.BodyPublishers.noBody());
        } else {
            b.GET();
        }
        r.wireHeaders().forEach(b::setHeader);
        if (ownsClient && options.proxy().isPresent() && r.uri().getScheme().equalsIgnoreCase("http")) {
            // A plain http request goes to the proxy itself, which reads this header and drops it.
            options.proxyAuthorization().ifPresent(v -> b.setHeader("Proxy-Authorization", v));
        }
        boolean http2 = http2(r);
        if (http2) {
            b.version(HttpClient.Version.HTTP_2);
        }
        Runnable slot = slots.isPresent() ? slots.get().acquire(r) : () -> {};
        // HTTP/2 requests all go through the first client, so that they share its one connection per host.
        int lane = http2 ? 0 : leastBusy();
        inFlight.incrementAndGet(lane);
        AtomicBoolean ended = new AtomicBoolean();
        Runnable release = () -> {
            if (ended.compareAndSet(false, true)) {
                inFlight.decrementAndGet(lane);
                slot.run();
            }
        };
        try {
            return clients.get(lane).send(b.build(), info -> new TimedBodySubscriber(r.uri(), options.readTimeout(), release));
        } catch (InterruptedException e) {
            release.run();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted sending " + r);
        } catch (IOException e) {
            release.run();
            Optional<SSLException> tls = TlsTrust.tlsCause(e);
            throw tls.isPresent() ? TlsTrust.failure(r.uri(), tls.get()) : e;
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    /** The client with the fewest exchanges in flight, the first one on a tie. */
    private int leastBusy() {
        int best = 0;
        for (int i = 1; i < clients.size(); i++) {
            if (inFlight.get(i) < inFlight.get(best)) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public void close() {
        // The JDK 17 client has no close(); it frees its connections once unreachable.
        closed.set(true);
    }

    @Override
    public String toString() {
        return "JdkRangeTransport";
    }
}
