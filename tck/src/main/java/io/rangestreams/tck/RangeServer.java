package io.rangestreams.tck;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.rangestreams.Range;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * A range-capable HTTP server for tests, on 127.0.0.1 and an ephemeral port, built on the JDK's
 * {@code com.sun.net.httpserver}. It serves deterministic content (computable at any offset, so
 * resources of any size cost no memory) with correct {@code 206}, {@code Content-Range},
 * {@code 416}, {@code HEAD}, {@code ETag}, {@code Last-Modified}, {@code If-Range},
 * {@code If-None-Match} and {@code If-Modified-Since}; multiple ranges get {@code multipart/byteranges}.
 * It logs every request and injects {@link Fault}s per path.
 *
 * <pre>{@code
 * try (RangeServer server = RangeServer.start()) {
 *     URI uri = server.add("/data.bin", 1_000_000);
 *     ... read it ...
 *     assertThat(server.requests("/data.bin")).hasSize(1);
 * }
 * }</pre>
 *
 * <p>Thread-safe. A second listener on another port serves the same resources, so a redirect can
 * point to another origin. {@link #startHttps()} adds a third, https listener with a self-signed
 * certificate for 127.0.0.1 that clients trust through {@link #clientSslContext()}, and a fourth, https too,
 * for a redirect to another https origin.
 */
public final class RangeServer implements AutoCloseable {

    private final HttpServer server;
    private final HttpServer other;
    private final ExecutorService executor;
    private final Map<String, ServedResource> resources = Collections.synchronizedMap(new LinkedHashMap<>());
    private final FaultSchedule faults = new FaultSchedule();
    private final RangeResponder responder = new RangeResponder(this, faults);
    private final List<LoggedRequest> log = new CopyOnWriteArrayList<>();
    private final Set<String> connections = Collections.synchronizedSet(new HashSet<>());
    private volatile HttpsServer https;
    private volatile HttpsServer otherHttps;
    private volatile TestCertificate tls;
    private final AtomicInteger answering = new AtomicInteger();
    private final AtomicInteger maxAnswering = new AtomicInteger();

    /**
     * One request as the server saw it.
     *
     * @param method the method
     * @param path the path, without the query
     * @param range the {@code Range} header, if sent
     * @param headers every request header, by lower-case name
     * @param connection an id of the connection it came on (the client's address and port)
     * @param port the server port it reached (the main or the second one)
     * @param status the status answered ({@code 0} while not answered yet)
     * @param bodyBytes the body bytes the server wrote
     */
    public record RecordedRequest(String method, String path, Optional<String> range, Map<String, List<String>> headers,
            String connection, int port, int status, long bodyBytes) {
        /** The first value of a header, if sent (names are case-insensitive). */
        public Optional<String> header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
        }

        /** The byte range asked for, as a half-open range, if the {@code Range} header held one range. */
        public Optional<Range> askedRange() {
            return range.flatMap(r -> RangeHeader.parse(r).filter(l -> l.size() == 1).map(l -> l.get(0)));
        }
    }

    static {
        // Without TCP_NODELAY, a response's headers and a small body meet Nagle's algorithm and the client's
        // delayed ACK: about 40 ms per keep-alive request. The JDK server reads this once, when first used.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private RangeServer(HttpServer server, HttpServer other, ExecutorService executor) {
        this.server = server;
        this.other = other;
        this.executor = executor;
    }

    /** Starts a server on 127.0.0.1, on ephemeral ports. */
    public static RangeServer start() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        HttpServer main = HttpServer.create(new InetSocketAddress(loopback, 0), 64);
        HttpServer second = HttpServer.create(new InetSocketAddress(loopback, 0), 64);
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "range-server");
            t.setDaemon(true);
            return t;
        });
        RangeServer rs = new RangeServer(main, second, executor);
        main.createContext("/", rs::handle);
        second.createContext("/", rs::handle);
        main.setExecutor(executor);
        second.setExecutor(executor);
        main.start();
        second.start();
        return rs;
    }

    /**
     * Starts a server on 127.0.0.1 with, besides the two http listeners, an https one whose self-signed
     * certificate (for the IP address 127.0.0.1) is trusted by {@link #clientSslContext()}. The key is made
     * once per JVM by the JDK's {@code keytool}. A {@link Fault.Redirect} of kind
     * {@link Fault.Redirect.Kind#HTTPS_TO_HTTP} redirects requests that come over https to {@link #uri}.
     */
    public static RangeServer startHttps() throws IOException {
        TestCertificate material = TestCertificate.get();
        RangeServer rs = start();
        try {
            rs.tls = material;
            rs.https = rs.startHttpsListener(material);
            rs.otherHttps = rs.startHttpsListener(material);
        } catch (IOException | RuntimeException e) {
            rs.close();
            throw e;
        }
        return rs;
    }

    private HttpsServer startHttpsListener(TestCertificate material) throws IOException {
        HttpsServer secure = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
        secure.setHttpsConfigurator(new HttpsConfigurator(material.server()));
        secure.createContext("/", this::handle);
        secure.setExecutor(executor);
        secure.start();
        return secure;
    }

    /** The https port; needs {@link #startHttps()}. */
    public int httpsPort() {
        return requireHttps().getAddress().getPort();
    }

    /** The https URI of {@code path} on a second https port (another origin); needs {@link #startHttps()}. */
    public URI otherHttpsOriginUri(String path) {
        requireHttps();
        return URI.create("https://127.0.0.1:" + otherHttps.getAddress().getPort() + path);
    }

    /**
     * The CA certificate that signed this server's https certificate (the certificate itself: it is
     * self-signed), as PEM text for a {@code --cacert} file; needs {@link #startHttps()}.
     */
    public String certificatePem() {
        requireHttps();
        return tls.certificatePem();
    }

    /** The https URI of {@code path}; needs {@link #startHttps()}. */
    public URI httpsUri(String path) {
        return URI.create("https://127.0.0.1:" + requireHttps().getAddress().getPort() + path);
    }

    /** An {@link SSLContext} that trusts this server's certificate; needs {@link #startHttps()}. */
    public SSLContext clientSslContext() {
        requireHttps();
        return tls.client();
    }

    /** A trust manager that trusts this server's certificate (OkHttp wants one); needs {@link #startHttps()}. */
    public X509TrustManager clientTrustManager() {
        requireHttps();
        return tls.trustManager();
    }

    /**
     * The key material of the test certificate (self-signed, for the IP address 127.0.0.1, made once per JVM),
     * for another https server a test starts: the certificate {@link #clientTrustManager()} trusts.
     */
    public static SSLContext testServerSslContext() throws IOException {
        return TestCertificate.get().server();
    }

    /** A trust manager that trusts the test certificate of {@link #testServerSslContext()}. */
    public static X509TrustManager testTrustManager() throws IOException {
        return TestCertificate.get().trustManager();
    }

    private HttpsServer requireHttps() {
        HttpsServer s = https;
        if (s == null) {
            throw new IllegalStateException("this RangeServer has no https listener; start it with RangeServer.startHttps()");
        }
        return s;
    }

    /** The byte at {@code offset} of generated content with this seed. */
    public static byte byteAt(long seed, long offset) {
        byte[] one = new byte[1];
        fill(seed, offset, one, 1);
        return one[0];
    }

    /** Generated content with this seed: {@code len} bytes from {@code offset} into {@code buf}. */
    public static void fill(long seed, long offset, byte[] buf, int len) {
        GeneratedContent.fill(seed, offset, buf, len);
    }

    /**
     * Serves {@code length} bytes of generated content at {@code path} (starting with '/').
     *
     * @return the URI of the resource
     */
    public URI add(String path, long length) {
        requirePath(path);
        resources.put(path, new ServedResource(length, null, path.hashCode()));
        return uri(path);
    }

    /** Serves the given bytes at {@code path}; returns its URI. */
    public URI add(String path, byte[] content) {
        requirePath(path);
        resources.put(path, new ServedResource(content.length, content.clone(), path.hashCode()));
        return uri(path);
    }

    /** The bytes the resource at {@code path} holds now, in {@code range} (resolved). */
    public byte[] expected(String path, Range range) {
        ServedResource r = resource(path);
        Range abs = range.resolve(r.length);
        byte[] out = new byte[(int) abs.length()];
        r.fill(r.version(), abs.start(), out, out.length);
        return out;
    }

    /** The length of the resource at {@code path}. */
    public long length(String path) {
        return resource(path).length;
    }

    /** The resource's current {@code ETag}. */
    public String etag(String path) {
        return resource(path).etag(path);
    }

    /** Changes the resource at {@code path}: new bytes, a new {@code ETag} and {@code Last-Modified}. */
    public void change(String path) {
        resource(path).change();
    }

    /** Adds faults for requests of {@code path} (they add to those already set). */
    public void fault(String path, Fault... add) {
        for (Fault f : add) {
            Objects.requireNonNull(f, "fault");
            faults.add(path, f);
            if (f instanceof Fault.ChangeValidatorAfter c) {
                resource(path).changeAfter(c.requests());
            }
        }
    }

    /** Removes every fault of {@code path}. */
    public void clearFaults(String path) {
        faults.clear(path);
    }

    /** The URI of {@code path} on the main port. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** The URI of {@code path} on the second port (another origin). */
    public URI otherOriginUri(String path) {
        return URI.create("http://127.0.0.1:" + other.getAddress().getPort() + path);
    }

    /** The main port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Every request so far, in arrival order. */
    public List<RecordedRequest> requests() {
        return log.stream().map(LoggedRequest::snapshot).toList();
    }

    /** The requests so far for {@code path}, in arrival order. */
    public List<RecordedRequest> requests(String path) {
        return log.stream().filter(e -> e.path.equals(path)).map(LoggedRequest::snapshot).toList();
    }

    /**
     * How many requests for {@code path} have arrived so far, including those still being answered
     * (requests are logged as they arrive).
     */
    public int arrived(String path) {
        return (int) log.stream().filter(e -> e.path.equals(path)).count();
    }

    /** Forgets the requests logged so far. */
    public void clearLog() {
        log.clear();
    }

    /** How many distinct connections have sent requests. */
    public int connectionsAccepted() {
        return connections.size();
    }

    /** How many requests are being answered now: arrived, and their last body bytes not yet written. */
    public int answering() {
        return answering.get();
    }

    /** The most requests that were being answered at the same moment, since the server started. */
    public int maxConcurrentRequests() {
        return maxAnswering.get();
    }

    /** The total body bytes served for {@code path}. */
    public long bytesServed(String path) {
        return requests(path).stream().mapToLong(RecordedRequest::bodyBytes).sum();
    }

    @Override
    public void close() {
        server.stop(0);
        other.stop(0);
        for (HttpsServer secure : new HttpsServer[] {https, otherHttps}) {
            if (secure != null) {
                secure.stop(0);
            }
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- request handling --------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        String connection = exchange.getRemoteAddress().getAddress().getHostAddress() + ":"
                + exchange.getRemoteAddress().getPort();
        connections.add(connection);
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        int localPort = exchange.getLocalAddress().getPort();
        Headers in = exchange.getRequestHeaders();
        Map<String, List<String>> headers = new TreeMap<>();
        in.forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        Optional<String> rangeHeader = Optional.ofNullable(in.getFirst("Range"));
        LoggedRequest entry = new LoggedRequest(method, path, rangeHeader, Collections.unmodifiableMap(headers),
                connection, localPort, answering);
        entry.attachTo(exchange);
        log.add(entry);
        maxAnswering.accumulateAndGet(answering.incrementAndGet(), Math::max);
        try {
            responder.answer(exchange, method, path, rangeHeader, entry);
        } catch (IOException | RuntimeException e) {
            if (entry.status == 0) {
                entry.status = 500;
            }
            exchange.close();
        } finally {
            entry.answered();
            exchange.close();
        }
    }

    /** The resource served at {@code path}, if any. */
    Optional<ServedResource> served(String path) {
        return Optional.ofNullable(resources.get(path));
    }

    /** Whether {@code port} is this server's (first) https listener. */
    boolean isHttpsPort(int port) {
        HttpsServer secure = https;
        return secure != null && port == secure.getAddress().getPort();
    }

    private ServedResource resource(String path) {
        ServedResource r = resources.get(path);
        if (r == null) {
            throw new IllegalArgumentException("no resource at " + path + "; add it first");
        }
        return r;
    }

    private static void requirePath(String path) {
        if (!path.startsWith("/") || path.startsWith("/redirected/")) {
            throw new IllegalArgumentException("path must start with '/' and not with /redirected/: " + path);
        }
    }
}
