package com.example.certify;

import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.spi.support.Redirects;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A small third-party transport over the JDK client, used here to certify the store working through
 * the engine. (It would not pass RangeTransportContract's T10: it has no read timeout on a stalled body.)
 */
public final class LoggingTransport implements RangeTransport {

    private final HttpClient client;
    private final TransportOptions options;
    private volatile boolean closed;

    public LoggingTransport(TransportOptions options) {
        this.options = options;
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(options.connectTimeout());
        this.client = b.build();
    }

    @Override
    public String name() {
        return "logging";
    }

    @Override
    public RangeResponse send(RangeRequest request) throws IOException {
        if (closed) {
            throw new IllegalStateException("transport logging is closed");
        }
        // Redirects.follow adds the options' headers, follows redirects by the library's rules and
        // strips credentials when one leaves the origin; this class only sends one exchange.
        return Redirects.follow(options, request, r -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(r.uri()).timeout(options.readTimeout())
                    .method(r.method(), HttpRequest.BodyPublishers.noBody());
            r.wireHeaders().forEach(b::setHeader);
            HttpResponse<InputStream> response;
            try {
                response = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted sending " + r, e);
            }
            return new RangeResponse(response.statusCode(), r.uri(), response.headers().map(), response.body());
        });
    }

    @Override
    public void close() {
        closed = true;
    }
}
