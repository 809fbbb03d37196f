package io.rangestreams.transport.jdk;

import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.Redirects;
import io.rangestreams.spi.TransportOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link RangeTransport} over the JDK's {@link HttpClient}. Redirects are followed here, by the
 * rules of {@link Redirects}, so the client's own redirect policy should be {@code NEVER}.
 *
 * <p>Thread-safe.
 */
public final class JdkRangeTransport implements RangeTransport {

    private final HttpClient client;
    private final TransportOptions options;
    private final boolean ownsClient;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A transport over a client built from the options. */
    public JdkRangeTransport(TransportOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(options.connectTimeout());
        options.proxy().ifPresent(p -> builder.proxy(ProxySelector.of(p)));
        this.client = builder.build();
        this.ownsClient = true;
    }

    /**
     * A transport over the caller's own client, keeping its settings (version, proxy, TLS,
     * authenticator). Redirects are followed by this transport whatever the client's policy says.
     */
    public JdkRangeTransport(HttpClient client) {
        this.client = Objects.requireNonNull(client, "client");
        this.options = TransportOptions.defaults();
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

    @Override
    public RangeResponse send(RangeRequest request) throws IOException {
        if (closed.get()) {
            throw new IllegalStateException("transport jdk is closed");
        }
        Redirects redirects = new Redirects(request.withHeaders(withDefaults(request)), options.maxRedirects());
        while (true) {
            RangeRequest current = redirects.current();
            HttpResponse<InputStream> response = execute(current);
            Optional<RangeRequest> next = redirects.next(response.statusCode(),
                    response.headers().firstValue("Location"));
            if (next.isEmpty()) {
                return new RangeResponse(response.statusCode(), response.uri(), response.headers().map(),
                        response.body());
            }
            response.body().close();
        }
    }

    private java.util.Map<String, String> withDefaults(RangeRequest request) {
        java.util.Map<String, String> h = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.put("User-Agent", TransportOptions.USER_AGENT);
        h.putAll(options.headers());
        h.putAll(request.headers());
        return h;
    }

    private HttpResponse<InputStream> execute(RangeRequest r) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(r.uri()).timeout(options.readTimeout());
        if (r.method().equals("HEAD")) {
            b.method("HEAD", HttpRequest.BodyPublishers.noBody());
        } else {
            b.GET();
        }
        r.headers().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Accept-Encoding") && !name.equalsIgnoreCase("Range")) {
                b.setHeader(name, value);
            }
        });
        b.setHeader("Accept-Encoding", "identity");
        r.rangeHeader().ifPresent(v -> b.setHeader("Range", v));
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted sending " + r);
        }
    }

    @Override
    public void close() {
        closed.set(true);
    }

    @Override
    public String toString() {
        return "JdkRangeTransport";
    }
}
