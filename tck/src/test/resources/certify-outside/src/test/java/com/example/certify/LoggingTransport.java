package com.example.certify;

import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.Redirects;
import io.rangestreams.spi.TransportOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

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
        Redirects redirects = new Redirects(request, options.maxRedirects());
        while (true) {
            RangeRequest r = redirects.current();
            HttpRequest.Builder b = HttpRequest.newBuilder(r.uri()).timeout(options.readTimeout())
                    .header("Accept-Encoding", "identity").method(r.method(), HttpRequest.BodyPublishers.noBody());
            options.headers().forEach(b::setHeader);
            r.headers().forEach(b::setHeader);
            r.rangeHeader().ifPresent(h -> b.setHeader("Range", h));
            HttpResponse<InputStream> response;
            try {
                response = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted sending " + r, e);
            }
            Optional<RangeRequest> next = redirects.next(response.statusCode(), response.headers().firstValue("Location"));
            if (next.isEmpty()) {
                return new RangeResponse(response.statusCode(), response.uri(), response.headers().map(), response.body());
            }
            response.body().close();
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
