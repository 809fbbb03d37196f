package io.rangestreams.bench.http2;

import io.rangestreams.Range;
import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty over TLS on 127.0.0.1, offering HTTP/2 and HTTP/1.1 by ALPN, serving one resource of RangeServer's
 * generated content (any length, no disk) with single ranges answered {@code 206}, each answer held back by
 * a fixed latency. It counts requests and the TLS connections it accepts.
 */
final class JettyRangeServer implements AutoCloseable {

    private static final Pattern SINGLE_RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private final Server server;
    private final ServerConnector connector;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    JettyRangeServer(long length, Duration latency) throws Exception {
        server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        config.addCustomizer(new SecureRequestCustomizer(false));
        HttpConnectionFactory http1 = new HttpConnectionFactory(config);
        HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(config);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(http1.getProtocol());
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(RangeServer.testServerSslContext());
        connector = new ServerConnector(server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, http2, http1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.addBean(new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                if (connection instanceof SslConnection) {
                    connections.incrementAndGet();
                }
            }
        });
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                requests.incrementAndGet();
                // The simulated network latency the benchmark measures HTTP/2 and HTTP/1.1 against.
                Thread.sleep(latency.toMillis());
                answer(request, response, callback, length);
                return true;
            }
        });
        server.start();
    }

    private static void answer(Request request, Response response, Callback callback, long length) throws IOException {
        response.getHeaders().put(HttpHeader.ACCEPT_RANGES, "bytes");
        response.getHeaders().put(HttpHeader.ETAG, "\"bench-" + length + "\"");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        String header = request.getHeaders().get(HttpHeader.RANGE);
        Matcher m = header == null ? null : SINGLE_RANGE.matcher(header.trim());
        Range r = Range.of(0, length);
        int status = 200;
        if (m != null && m.matches() && Long.parseLong(m.group(1)) < length) {
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? length - 1 : Math.min(length - 1, Long.parseLong(m.group(2)));
            r = Range.of(first, last + 1);
            status = 206;
            response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes " + first + "-" + last + "/" + length);
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, r.length());
        if (HttpMethod.HEAD.is(request.getMethod())) {
            response.write(true, null, callback);
            return;
        }
        if (r.length() > 64 << 20) {
            throw new IOException("the benchmark server answers at most 64 MiB at once, was asked " + r);
        }
        byte[] body = new byte[(int) r.length()];
        RangeServer.fill(11, r.start(), body, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    URI uri(String path) {
        return URI.create("https://127.0.0.1:" + connector.getLocalPort() + path);
    }

    int connectionsOpened() {
        return connections.get();
    }

    int requests() {
        return requests.get();
    }

    void resetCounts() {
        connections.set(0);
        requests.set(0);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
