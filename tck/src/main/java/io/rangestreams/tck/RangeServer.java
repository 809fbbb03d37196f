package io.rangestreams.tck;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.rangestreams.Range;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
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

    private static final Instant BASE_TIME = Instant.parse("2024-01-01T00:00:00Z");
    private static final int CHUNK = 64 * 1024;

    private final HttpServer server;
    private final HttpServer other;
    private final ExecutorService executor;
    private final Map<String, Resource> resources = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, List<Fault>> faults = Collections.synchronizedMap(new TreeMap<>());
    private final Map<String, Integer> remaining = Collections.synchronizedMap(new java.util.HashMap<>());
    private final List<Entry> log = new CopyOnWriteArrayList<>();
    private final Set<String> connections = Collections.synchronizedSet(new HashSet<>());
    private volatile HttpsServer https;
    private volatile HttpsServer otherHttps;
    private static TlsMaterial tls;
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
            return range.flatMap(r -> parseRanges(r).filter(l -> l.size() == 1).map(l -> l.get(0)));
        }
    }

    /**
     * A request in the log. It is logged when it arrives; its status is set just before the headers go
     * out and its body count just before each write, so a client that has seen a response always finds
     * it in the log, complete. (Logging after answering raced with fast clients.)
     */
    private static final class Entry {
        final String method;
        final String path;
        final Optional<String> range;
        final Map<String, List<String>> headers;
        final String connection;
        final int port;
        volatile int status;
        volatile long bodyBytes;
        /** Whether this request still counts as being answered (see {@link #answered}). */
        final AtomicBoolean answering = new AtomicBoolean(true);

        Entry(String method, String path, Optional<String> range, Map<String, List<String>> headers,
                String connection, int port) {
            this.method = method;
            this.path = path;
            this.range = range;
            this.headers = headers;
            this.connection = connection;
            this.port = port;
        }

        RecordedRequest snapshot() {
            return new RecordedRequest(method, path, range, headers, connection, port, status, bodyBytes);
        }
    }

    private static final String ENTRY = "range-server.entry";

    static {
        // Without TCP_NODELAY, a response's headers and a small body meet Nagle's algorithm and the client's
        // delayed ACK: about 40 ms per keep-alive request. The JDK server reads this once, when first used.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** A served resource: its length, its current version and its content at any offset. */
    private static class Resource {
        final long length;
        final byte[] fixed; // null for generated content
        final long seed;
        int version = 1;
        int changeAfter = -1; // requests until the next version, -1 for never

        Resource(long length, byte[] fixed, long seed) {
            this.length = length;
            this.fixed = fixed;
            this.seed = seed;
        }

        synchronized String etag(String path) {
            return "\"" + Integer.toHexString(path.hashCode()) + "-" + length + "-v" + version + "\"";
        }

        synchronized String lastModified() {
            return DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC)
                    .format(BASE_TIME.plusSeconds(3600L * version));
        }

        synchronized int version() {
            return version;
        }

        void fill(int version, long offset, byte[] buf, int len) {
            if (fixed != null) {
                System.arraycopy(fixed, (int) offset, buf, 0, len);
                if (version > 1) {
                    for (int i = 0; i < len; i++) {
                        buf[i] ^= (byte) (version * 0x5b);
                    }
                }
                return;
            }
            RangeServer.fill(seed + version * 7919L, offset, buf, len);
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
        TlsMaterial material = tlsMaterial();
        RangeServer rs = start();
        try {
            rs.https = rs.startHttpsListener(material);
            rs.otherHttps = rs.startHttpsListener(material);
        } catch (IOException | RuntimeException e) {
            rs.close();
            throw e;
        }
        return rs;
    }

    private HttpsServer startHttpsListener(TlsMaterial material) throws IOException {
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
        return tlsMaterial().server();
    }

    /** A trust manager that trusts the test certificate of {@link #testServerSslContext()}. */
    public static X509TrustManager testTrustManager() throws IOException {
        return tlsMaterial().trustManager();
    }

    private HttpsServer requireHttps() {
        HttpsServer s = https;
        if (s == null) {
            throw new IllegalStateException("this RangeServer has no https listener; start it with RangeServer.startHttps()");
        }
        return s;
    }

    /** The server's and the clients' TLS contexts for a self-signed 127.0.0.1 certificate. */
    private record TlsMaterial(SSLContext server, SSLContext client, X509TrustManager trustManager,
            String certificatePem) {}

    private static synchronized TlsMaterial tlsMaterial() throws IOException {
        if (tls == null) {
            tls = makeTlsMaterial();
        }
        return tls;
    }

    private static TlsMaterial makeTlsMaterial() throws IOException {
        char[] password = "range-server".toCharArray();
        Path dir = Files.createTempDirectory("range-server-tls");
        Path store = dir.resolve("range-server.p12");
        try {
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "range-server", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "7",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(password),
                    "-keypass", new String(password))
                    .redirectErrorStream(true)
                    .start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool failed to make a test certificate: "
                        + new String(output, StandardCharsets.UTF_8));
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, password);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(kmf.getKeyManagers(), null, null);
            Certificate cert = keys.getCertificate("range-server");
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("range-server", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            X509TrustManager trustManager = (X509TrustManager) tmf.getTrustManagers()[0];
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, new javax.net.ssl.TrustManager[] {trustManager}, null);
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            return new TlsMaterial(server, client, trustManager, pem);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted making a test certificate", e);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load the test certificate: " + e, e);
        } finally {
            Files.deleteIfExists(store);
            Files.deleteIfExists(dir);
        }
    }

    /** The byte at {@code offset} of generated content with this seed. */
    public static byte byteAt(long seed, long offset) {
        byte[] one = new byte[1];
        fill(seed, offset, one, 1);
        return one[0];
    }

    /** Generated content with this seed: {@code len} bytes from {@code offset} into {@code buf}. */
    public static void fill(long seed, long offset, byte[] buf, int len) {
        // byte(x) = x*31 ^ mix(x / 4096) ^ x/256 (low 8 bits). Within a 4 KiB block only the low 12
        // bits of x vary, so a block is one of 256 precomputed 4 KiB blocks (chosen by the block's
        // constant part) and filling is copying: serving a gibibyte costs the server little CPU next
        // to the client it is measured with.
        long seedMix = seed * 0xBF58476D1CE4E5B9L;
        int i = 0;
        while (i < len) {
            long x = offset + i;
            int mix = (int) (((x >>> 12) * 0x9E3779B97F4A7C15L + seedMix) >>> 40);
            int constant = (mix ^ (int) ((x >>> 8) & 0xf0)) & 0xff;
            int from = (int) (x & 4095);
            int n = Math.min(len - i, 4096 - from);
            System.arraycopy(BLOCKS, (constant << 12) + from, buf, i, n);
            i += n;
        }
    }

    /** The 256 possible 4 KiB blocks of generated content: block c holds (j*31 ^ j/256 ^ c) for j < 4096. */
    private static final byte[] BLOCKS = new byte[256 * 4096];

    static {
        for (int c = 0; c < 256; c++) {
            for (int j = 0; j < 4096; j++) {
                BLOCKS[(c << 12) + j] = (byte) (j * 31 ^ (j >>> 8) ^ c);
            }
        }
    }

    /**
     * Serves {@code length} bytes of generated content at {@code path} (starting with '/').
     *
     * @return the URI of the resource
     */
    public URI add(String path, long length) {
        requirePath(path);
        resources.put(path, new Resource(length, null, path.hashCode()));
        return uri(path);
    }

    /** Serves the given bytes at {@code path}; returns its URI. */
    public URI add(String path, byte[] content) {
        requirePath(path);
        resources.put(path, new Resource(content.length, content.clone(), path.hashCode()));
        return uri(path);
    }

    /** The bytes the resource at {@code path} holds now, in {@code range} (resolved). */
    public byte[] expected(String path, Range range) {
        Resource r = resource(path);
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
        Resource r = resource(path);
        synchronized (r) {
            r.version++;
        }
    }

    /** Adds faults for requests of {@code path} (they add to those already set). */
    public void fault(String path, Fault... add) {
        for (Fault f : add) {
            Objects.requireNonNull(f, "fault");
            faults.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(f);
            remaining.put(path + "#" + System.identityHashCode(f), count(f));
            if (f instanceof Fault.ChangeValidatorAfter c) {
                Resource r = resource(path);
                synchronized (r) {
                    r.changeAfter = c.requests();
                }
            }
        }
    }

    /** Removes every fault of {@code path}. */
    public void clearFaults(String path) {
        faults.remove(path);
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
        return log.stream().map(Entry::snapshot).toList();
    }

    /** The requests so far for {@code path}, in arrival order. */
    public List<RecordedRequest> requests(String path) {
        return log.stream().filter(e -> e.path.equals(path)).map(Entry::snapshot).toList();
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
        Entry entry = new Entry(method, path, rangeHeader, Collections.unmodifiableMap(headers), connection, localPort);
        exchange.setAttribute(ENTRY, entry);
        log.add(entry);
        maxAnswering.accumulateAndGet(answering.incrementAndGet(), Math::max);
        try {
            answer(exchange, method, path, rangeHeader, entry);
        } catch (IOException | RuntimeException e) {
            if (entry.status == 0) {
                entry.status = 500;
            }
            exchange.close();
        } finally {
            answered(entry);
            exchange.close();
        }
    }

    /**
     * Stops counting a request as being answered; called before its last body bytes are written, so a
     * client that waits for a whole body before sending its next request is never counted twice.
     */
    private void answered(Entry entry) {
        if (entry.answering.compareAndSet(true, false)) {
            answering.decrementAndGet();
        }
    }

    private int answer(HttpExchange ex, String method, String rawPath, Optional<String> rangeHeader, Entry written)
            throws IOException {
        String path = rawPath.startsWith("/redirected/") ? rawPath.substring("/redirected".length()) : rawPath;
        List<Fault> active = faults.getOrDefault(path, List.of());
        Headers out = ex.getResponseHeaders();
        for (Fault f : active) {
            if (f instanceof Fault.Latency l) {
                sleep(l.delay().toMillis());
            }
        }
        int localPort = ex.getLocalAddress().getPort();
        HttpsServer secure = https;
        boolean overHttps = secure != null && localPort == secure.getAddress().getPort();
        if (!rawPath.startsWith("/redirected/") && (localPort == port() || overHttps)) {
            for (Fault f : active) {
                // https to http redirects are answered over https only; the other kinds over the main ports.
                if (f instanceof Fault.Redirect r && (r.kind() != Fault.Redirect.Kind.HTTPS_TO_HTTP || overHttps)) {
                    String target = switch (r.kind()) {
                        case SAME_ORIGIN -> "/redirected" + path;
                        case CROSS_ORIGIN -> (overHttps ? otherHttpsOriginUri(path) : otherOriginUri(path)).toString();
                        case LOOP -> path;
                        case HTTPS_TO_HTTP -> uri(path).toString();
                    };
                    out.set("Location", target);
                    sendHeaders(ex, r.status(), -1);
                    return r.status();
                }
            }
        }
        for (Fault f : active) {
            if (f instanceof Fault.ExpiringUrls e && !e.signer().admit(ex.getRequestURI().getRawQuery())) {
                return sendText(ex, 403, "the signature of " + path + " expired or is unknown");
            }
        }
        Resource res = resources.get(path);
        if (res == null) {
            return sendText(ex, 404, "no resource at " + path);
        }
        Resource asIs = res;
        for (Fault f : active) {
            if (f instanceof Fault.SameEtagNewLength n) {
                // Another length of the same generated content, announced under the old validators.
                res = new Resource(n.length(), null, asIs.seed) {
                    @Override
                    synchronized String etag(String p) {
                        return asIs.etag(p);
                    }

                    @Override
                    synchronized String lastModified() {
                        return asIs.lastModified();
                    }
                };
            }
        }
        int version = advanceVersion(res);
        boolean noEtag = has(active, Fault.NoEtag.class);
        String etag = res.etag(path);
        String lastModified = res.lastModified();
        if (!noEtag) {
            out.set("ETag", etag);
        }
        out.set("Last-Modified", lastModified);
        if (!has(active, Fault.NoAcceptRanges.class)) {
            out.set("Accept-Ranges", "bytes");
        }
        out.set("Content-Type", "application/octet-stream");
        boolean head = method.equals("HEAD");
        if (!head && !method.equals("GET")) {
            return sendText(ex, 405, "method " + method + " not allowed");
        }
        if (head && has(active, Fault.HeadRefused.class)) {
            out.remove("ETag");
            out.remove("Last-Modified");
            sendHeaders(ex, 405, -1);
            return 405;
        }
        if (!head) {
            for (Fault f : active) {
                if (f instanceof Fault.Status s && take(path, f)) {
                    s.retryAfter().ifPresent(d -> out.set("Retry-After", Long.toString(d.toSeconds())));
                    return sendText(ex, s.status(), "injected status " + s.status());
                }
            }
        }
        String ifNoneMatch = ex.getRequestHeaders().getFirst("If-None-Match");
        String ifModifiedSince = ex.getRequestHeaders().getFirst("If-Modified-Since");
        if (ifNoneMatch != null && !noEtag && (ifNoneMatch.equals(etag) || ifNoneMatch.equals("*"))
                || ifNoneMatch == null && ifModifiedSince != null && ifModifiedSince.equals(lastModified)) {
            sendHeaders(ex, 304, -1);
            return 304;
        }
        boolean gzip = has(active, Fault.GzipAlways.class)
                || has(active, Fault.GzipWhenAllowed.class) && allowsGzip(ex.getRequestHeaders().getFirst("Accept-Encoding"));
        if (!head && has(active, Fault.EndlessBody.class)) {
            return sendBody(ex, res, version, path, 200, Range.of(0, Long.MAX_VALUE - 1), false, active, written);
        }
        if (head) {
            out.set("Content-Length", Long.toString(res.length));
            sendHeaders(ex, 200, -1);
            return 200;
        }
        Optional<List<Range>> ranges = rangeHeader.flatMap(RangeServer::parseRanges);
        String ifRange = ex.getRequestHeaders().getFirst("If-Range");
        boolean ifRangeFails = ifRange != null && !(ifRange.equals(noEtag ? null : etag) || ifRange.equals(lastModified));
        if (ranges.isEmpty() || has(active, Fault.IgnoreRange.class) || ifRangeFails) {
            return sendBody(ex, res, version, path, 200, Range.of(0, res.length), gzip, active, written);
        }
        List<Range> satisfiable = new ArrayList<>();
        for (Range r : ranges.get()) {
            if (r.isSuffix() || r.start() < res.length) {
                Range abs = r.resolve(res.length);
                Range clipped = Range.of(abs.start(), Math.min(abs.stop(), res.length));
                if (!clipped.isEmpty()) {
                    satisfiable.add(clipped);
                }
            }
        }
        if (satisfiable.isEmpty()) {
            out.set("Content-Range", "bytes */" + res.length);
            return sendText(ex, 416, "range not satisfiable");
        }
        if (satisfiable.size() > 1) {
            return sendMultipart(ex, res, version, satisfiable, written);
        }
        Range r = satisfiable.get(0);
        for (Fault f : active) {
            if (f instanceof Fault.WrongContentRange w) {
                long s = Math.max(0, Math.min(res.length - r.length(), r.start() + w.shift()));
                r = Range.of(s, s + r.length());
            }
        }
        long total = res.length;
        for (Fault f : active) {
            if (f instanceof Fault.ContentRangeTotal t) {
                total = t.total();
            }
        }
        out.set("Content-Range", "bytes " + r.start() + "-" + (r.stop() - 1) + "/" + total);
        return sendBody(ex, res, version, path, 206, r, gzip, active, written);
    }

    private int sendBody(HttpExchange ex, Resource res, int version, String path, int status, Range r, boolean gzip,
            List<Fault> active, Entry written) throws IOException {
        long length = r.length();
        long cutAfter = -1;
        boolean reset = false;
        boolean chunked = has(active, Fault.NoContentLength.class) || has(active, Fault.EndlessBody.class);
        int extra = 0;
        Fault.SlowBody slow = null;
        Fault.Gate gate = null;
        for (Fault f : active) {
            if (f instanceof Fault.TruncateBody t && take(path, f)) {
                cutAfter = t.afterBytes();
                chunked = true;
            } else if (f instanceof Fault.ResetConnection c && take(path, f)) {
                cutAfter = c.afterBytes();
                reset = true;
            } else if (f instanceof Fault.LongerBody l && status == 206) {
                extra = l.extra();
            } else if (f instanceof Fault.SlowBody s) {
                slow = s;
            } else if (f instanceof Fault.Gate g) {
                gate = g;
            }
        }
        if (gzip) {
            byte[] plain = new byte[(int) Math.min(length, Integer.MAX_VALUE - 8)];
            res.fill(version, r.start(), plain, plain.length);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(bytes)) {
                z.write(plain);
            }
            ex.getResponseHeaders().set("Content-Encoding", "gzip");
            byte[] body = bytes.toByteArray();
            sendHeaders(ex, status, body.length);
            written.bodyBytes = body.length;
            answered(written);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
            return status;
        }
        sendHeaders(ex, status, chunked ? 0 : length + extra);
        OutputStream os = ex.getResponseBody();
        // A slow body's chunks may be larger than the usual buffer (they were cut off with an error).
        byte[] buf = new byte[slow != null ? Math.max(CHUNK, slow.chunkBytes()) : CHUNK];
        long pos = r.start();
        long sent = 0;
        long toSend = cutAfter >= 0 ? Math.min(cutAfter, length) : length;
        try {
            boolean gateDone = gate == null;
            long gateAt = gate == null ? 0 : Math.min(gate.afterBytes(), toSend);
            while (sent < toSend || !gateDone) {
                if (!gateDone && sent >= gateAt) {
                    gateDone = true;
                    os.flush();
                    gate.reached().countDown();
                    awaitGate(gate);
                    continue;
                }
                long untilGate = gateDone ? Long.MAX_VALUE : gateAt - sent;
                int n = (int) Math.min(Math.min(slow != null ? slow.chunkBytes() : buf.length, toSend - sent),
                        untilGate);
                res.fill(version, pos, buf, n);
                written.bodyBytes = sent + n;
                if (sent + n == toSend && gateDone && extra == 0 && !reset) {
                    answered(written);
                }
                os.write(buf, 0, n);
                if (slow != null) {
                    os.flush();
                    sleep(slow.pause().toMillis());
                }
                pos += n;
                sent += n;
            }
            if (reset) {
                os.flush();
                // Abandon the exchange with bytes missing: the server drops the connection.
                throw new IOException("injected connection reset after " + sent + " bytes");
            }
            for (int i = 0; i < extra; i++) {
                written.bodyBytes++;
                os.write(0x5a);
            }
            answered(written);
            os.close();
        } catch (IOException e) {
            // Client went away or a reset was injected; closing the exchange drops the connection.
            ex.close();
        }
        return status;
    }

    private int sendMultipart(HttpExchange ex, Resource res, int version, List<Range> ranges, Entry written)
            throws IOException {
        String boundary = "range-server-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Range r : ranges) {
            String head = "\r\n--" + boundary + "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes "
                    + r.start() + "-" + (r.stop() - 1) + "/" + res.length + "\r\n\r\n";
            body.write(head.getBytes(StandardCharsets.US_ASCII));
            byte[] part = new byte[(int) r.length()];
            res.fill(version, r.start(), part, part.length);
            body.write(part);
        }
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        ex.getResponseHeaders().set("Content-Type", "multipart/byteranges; boundary=" + boundary);
        byte[] bytes = body.toByteArray();
        sendHeaders(ex, 206, bytes.length);
        written.bodyBytes = bytes.length;
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
        return 206;
    }

    /** Sends the status line and headers, having set the logged status first. */
    private static void sendHeaders(HttpExchange ex, int status, long length) throws IOException {
        ((Entry) ex.getAttribute(ENTRY)).status = status;
        ex.sendResponseHeaders(status, length);
    }

    private static int sendText(HttpExchange ex, int status, String text) throws IOException {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        sendHeaders(ex, status, body.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
        return status;
    }

    private int advanceVersion(Resource res) {
        synchronized (res) {
            if (res.changeAfter == 0) {
                res.version++;
                res.changeAfter = -1;
            } else if (res.changeAfter > 0) {
                res.changeAfter--;
            }
            return res.version;
        }
    }

    /** Parses {@code bytes=a-b,c-,-n} into ranges; empty when malformed (the header is then ignored). */
    static Optional<List<Range>> parseRanges(String header) {
        String h = header.trim();
        if (!h.startsWith("bytes=")) {
            return Optional.empty();
        }
        List<Range> out = new ArrayList<>();
        try {
            for (String spec : h.substring(6).split(",")) {
                String s = spec.trim();
                int dash = s.indexOf('-');
                if (dash < 0) {
                    return Optional.empty();
                }
                String a = s.substring(0, dash).trim();
                String b = s.substring(dash + 1).trim();
                if (a.isEmpty()) {
                    long n = Long.parseLong(b);
                    if (n <= 0) {
                        return Optional.empty();
                    }
                    out.add(Range.suffix(n));
                } else if (b.isEmpty()) {
                    out.add(Range.from(Long.parseLong(a)));
                } else {
                    long first = Long.parseLong(a);
                    long last = Long.parseLong(b);
                    if (first < 0 || last < first) {
                        return Optional.empty();
                    }
                    out.add(Range.of(first, last + 1));
                }
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }

    private static boolean allowsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
            String[] p = part.trim().split(";");
            if (p[0].trim().equals("gzip") || p[0].trim().equals("*")) {
                return !(p.length > 1 && p[1].replace(" ", "").equals("q=0"));
            }
        }
        return false;
    }

    private boolean take(String path, Fault f) {
        String k = path + "#" + System.identityHashCode(f);
        synchronized (remaining) {
            int left = remaining.getOrDefault(k, 0);
            if (left <= 0) {
                return false;
            }
            remaining.put(k, left - 1);
            return true;
        }
    }

    private static int count(Fault f) {
        if (f instanceof Fault.Status s) {
            return s.times();
        }
        if (f instanceof Fault.TruncateBody t) {
            return t.times();
        }
        if (f instanceof Fault.ResetConnection c) {
            return c.times();
        }
        return Integer.MAX_VALUE;
    }

    private static boolean has(List<Fault> active, Class<? extends Fault> type) {
        return active.stream().anyMatch(type::isInstance);
    }

    private Resource resource(String path) {
        Resource r = resources.get(path);
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

    private static void awaitGate(Fault.Gate gate) throws IOException {
        try {
            gate.release().await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("server closed while a gate held the body", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
