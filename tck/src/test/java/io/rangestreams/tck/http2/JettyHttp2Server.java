package io.rangestreams.tck.http2;

import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
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
 * Jetty over https on 127.0.0.1, offering HTTP/2 and HTTP/1.1 by ALPN (with the JDK's TLS), with
 * RangeServer's test certificate. It serves a directory's files ({@link #serving}: Jetty's
 * {@link ResourceHandler} answers ranges with {@code 206}, {@code Content-Range} and {@code ETag}) or
 * whatever a handler answers ({@link #start}), and counts requests, the protocol of each and the TLS
 * connections it accepts. The tck's HTTP/2 tests and the benchmarks' HTTP/2 comparison share it, through
 * the tck's test jar.
 */
public final class JettyHttp2Server implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;
    private final AtomicInteger connectionsOpened = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final Queue<String> protocols = new ConcurrentLinkedQueue<>();
    private final Set<String> remotes = ConcurrentHashMap.newKeySet();

    private JettyHttp2Server(Function<Server, Handler> handler) throws IOException {
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
        server.setHandler(new Handler.Wrapper(handler.apply(server)) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                requests.incrementAndGet();
                protocols.add(request.getConnectionMetaData().getHttpVersion().asString());
                remotes.add(request.getConnectionMetaData().getRemoteSocketAddress().toString());
                return super.handle(request, response, callback);
            }
        });
    }

    /** Starts a server answering with {@code handler}. */
    public static JettyHttp2Server start(Handler handler) throws Exception {
        return started(new JettyHttp2Server(s -> handler));
    }

    /** Starts a server serving the files of {@code directory} (the caller deletes it after {@link #close}). */
    public static JettyHttp2Server serving(Path directory) throws Exception {
        return started(new JettyHttp2Server(s -> {
            ResourceHandler files = new ResourceHandler();
            files.setBaseResource(ResourceFactory.of(s).newResource(directory));
            return files;
        }));
    }

    private static JettyHttp2Server started(JettyHttp2Server s) throws Exception {
        try {
            s.server.start();
        } catch (Exception e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** The https URI of {@code path} (starting with '/'). */
    public URI uri(String path) {
        return URI.create("https://127.0.0.1:" + connector.getLocalPort() + path);
    }

    /** The TLS connections accepted so far. */
    public int connectionsOpened() {
        return connectionsOpened.get();
    }

    /** The distinct client addresses and ports that sent requests. */
    public int connectionsUsed() {
        return remotes.size();
    }

    /** The requests so far. */
    public int requests() {
        return requests.get();
    }

    /** The protocol of every request so far ({@code HTTP/2.0}, {@code HTTP/1.1}), in arrival order. */
    public List<String> protocols() {
        return List.copyOf(protocols);
    }

    /** Forgets the requests, protocols and connections counted so far. */
    public void resetCounts() {
        connectionsOpened.set(0);
        requests.set(0);
        protocols.clear();
        remotes.clear();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
