package io.rangestreams.tck.transport;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ConnectHandler;
import org.eclipse.jetty.util.Callback;

/**
 * A forward HTTP proxy on 127.0.0.1 (Jetty's {@link ProxyHandler.Forward} for plain http and its
 * {@link ConnectHandler} for https tunnels) that asks for one {@code Proxy-Authorization} value: without it a
 * request gets {@code 407}. It logs what each request or {@code CONNECT} carried.
 */
final class JettyProxy implements AutoCloseable {

    /** What the proxy saw: {@code GET} or {@code CONNECT}, and the {@code Proxy-Authorization} sent, or "none". */
    record Seen(String method, String proxyAuthorization) {}

    private final Server server;
    private final ServerConnector connector;
    private final String expected;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    private JettyProxy(String expected) {
        this.expected = expected;
        this.server = new Server();
        this.connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        Handler forward = new Handler.Wrapper(new ProxyHandler.Forward()) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (authorized(request)) {
                    return super.handle(request, response, callback);
                }
                response.setStatus(407);
                response.getHeaders().put(HttpHeader.PROXY_AUTHENTICATE, "Basic realm=\"test\"");
                response.write(true, null, callback);
                return true;
            }
        };
        server.setHandler(new ConnectHandler(forward) {
            @Override
            protected boolean handleAuthentication(Request request, Response response, String address) {
                return authorized(request);
            }
        });
    }

    private boolean authorized(Request request) {
        String value = request.getHeaders().get(HttpHeader.PROXY_AUTHORIZATION);
        seen.add(new Seen(request.getMethod(), value == null ? "none" : value));
        return expected.equals(value);
    }

    /** Starts a proxy that lets through requests carrying {@code Proxy-Authorization: expected}. */
    static JettyProxy start(String expected) throws Exception {
        JettyProxy p = new JettyProxy(expected);
        try {
            p.server.start();
        } catch (Exception e) {
            p.close();
            throw e;
        }
        return p;
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", connector.getLocalPort());
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
