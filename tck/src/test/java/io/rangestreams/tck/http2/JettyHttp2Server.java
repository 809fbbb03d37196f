package io.rangestreams.tck.http2;

import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
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
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty serving the files of a temporary directory over https on 127.0.0.1, offering HTTP/2 and HTTP/1.1
 * by ALPN (with the JDK's TLS), with RangeServer's test certificate. Jetty's {@link ResourceHandler} answers
 * ranges ({@code 206}, {@code Content-Range}, {@code ETag}). It logs the protocol of every request and counts
 * the TLS connections it accepts.
 */
final class JettyHttp2Server implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;
    private final Path root;
    private final AtomicInteger connectionsOpened = new AtomicInteger();
    private final List<String> protocols = new CopyOnWriteArrayList<>();
    private final Set<String> remotes = ConcurrentHashMap.newKeySet();

    private JettyHttp2Server(Path root) throws IOException {
        this.root = root;
        this.server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        // The certificate names the IP address 127.0.0.1, which a client sends no SNI for.
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
                    connectionsOpened.incrementAndGet();
                }
            }
        });
        server.addConnector(connector);
        ResourceHandler files = new ResourceHandler();
        files.setBaseResource(ResourceFactory.of(server).newResource(root));
        server.setHandler(new Handler.Wrapper(files) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                protocols.add(request.getConnectionMetaData().getHttpVersion().asString());
                remotes.add(request.getConnectionMetaData().getRemoteSocketAddress().toString());
                return super.handle(request, response, callback);
            }
        });
    }

    /** Starts a server with an empty directory. */
    static JettyHttp2Server start() throws Exception {
        JettyHttp2Server s = new JettyHttp2Server(Files.createTempDirectory("jetty-http2"));
        try {
            s.server.start();
        } catch (Exception e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** Serves {@code length} bytes of RangeServer's generated content (seed 7) as {@code name}; returns its URI. */
    URI add(String name, int length) throws IOException {
        byte[] content = new byte[length];
        RangeServer.fill(7, 0, content, length);
        Files.write(root.resolve(name), content);
        return URI.create("https://127.0.0.1:" + connector.getLocalPort() + "/" + name);
    }

    /** The TLS connections accepted so far. */
    int connectionsOpened() {
        return connectionsOpened.get();
    }

    /** The distinct client addresses and ports that sent requests. */
    int connectionsUsed() {
        return remotes.size();
    }

    /** The protocol of every request so far ({@code HTTP/2.0}, {@code HTTP/1.1}), in arrival order. */
    List<String> protocols() {
        return List.copyOf(protocols);
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
