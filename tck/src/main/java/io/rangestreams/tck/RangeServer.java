package io.rangestreams.tck;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rangestreams.Range;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
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
import java.util.zip.GZIPOutputStream;

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
 * point to another origin.
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
    private final List<RecordedRequest> log = new CopyOnWriteArrayList<>();
    private final Set<String> connections = Collections.synchronizedSet(new HashSet<>());
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> arrivals =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * One request as the server saw it.
     *
     * @param method the method
     * @param path the path, without the query
     * @param range the {@code Range} header, if sent
     * @param headers every request header, by lower-case name
     * @param connection an id of the connection it came on (the client's address and port)
     * @param port the server port it reached (the main or the second one)
     * @param status the status answered
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

    /** A served resource: its length, its current version and its content at any offset. */
    private static final class Resource {
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

    /** The byte at {@code offset} of generated content with this seed. */
    public static byte byteAt(long seed, long offset) {
        byte[] one = new byte[1];
        fill(seed, offset, one, 1);
        return one[0];
    }

    /** Generated content with this seed: {@code len} bytes from {@code offset} into {@code buf}. */
    public static void fill(long seed, long offset, byte[] buf, int len) {
        for (int i = 0; i < len; i++) {
            long x = offset + i;
            long block = (x >>> 12) * 0x9E3779B97F4A7C15L + seed * 0xBF58476D1CE4E5B9L;
            buf[i] = (byte) ((x * 31) ^ (block >>> 40) ^ (x >>> 8));
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
        return List.copyOf(log);
    }

    /** The requests so far for {@code path}, in arrival order. */
    public List<RecordedRequest> requests(String path) {
        return log.stream().filter(r -> r.path().equals(path)).toList();
    }

    /**
     * How many requests for {@code path} have arrived so far, including those still being answered
     * (the {@link #requests(String) log} holds only answered ones).
     */
    public int arrived(String path) {
        java.util.concurrent.atomic.AtomicInteger n = arrivals.get(path);
        return n == null ? 0 : n.get();
    }

    /** Forgets the requests logged so far. */
    public void clearLog() {
        log.clear();
    }

    /** How many distinct connections have sent requests. */
    public int connectionsAccepted() {
        return connections.size();
    }

    /** The total body bytes served for {@code path}. */
    public long bytesServed(String path) {
        return requests(path).stream().mapToLong(RecordedRequest::bodyBytes).sum();
    }

    @Override
    public void close() {
        server.stop(0);
        other.stop(0);
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
        arrivals.computeIfAbsent(path, p -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
        int localPort = exchange.getLocalAddress().getPort();
        Headers in = exchange.getRequestHeaders();
        Map<String, List<String>> headers = new TreeMap<>();
        in.forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        Optional<String> rangeHeader = Optional.ofNullable(in.getFirst("Range"));
        Pending pending = new Pending(method, path, rangeHeader, Collections.unmodifiableMap(headers), connection,
                localPort);
        int status = 500;
        try {
            status = answer(exchange, method, path, rangeHeader, pending);
        } catch (IOException | RuntimeException e) {
            exchange.close();
        } finally {
            pending.commit(status);
            exchange.close();
        }
    }

    /**
     * A request being answered. It enters the log when the answer is complete but before its last
     * bytes reach the client, so a client that has its response always finds the request logged.
     */
    private final class Pending {
        private final String method;
        private final String path;
        private final Optional<String> range;
        private final Map<String, List<String>> headers;
        private final String connection;
        private final int port;
        long bytes;
        private boolean committed;

        Pending(String method, String path, Optional<String> range, Map<String, List<String>> headers,
                String connection, int port) {
            this.method = method;
            this.path = path;
            this.range = range;
            this.headers = headers;
            this.connection = connection;
            this.port = port;
        }

        private RecordedRequest entry;

        synchronized void commit(int status) {
            if (!committed) {
                committed = true;
                entry = new RecordedRequest(method, path, range, headers, connection, port, status, bytes);
                log.add(entry);
            }
        }

        /** Fewer body bytes went out than logged (the client left early): says so in the log. */
        synchronized void correct(long sent) {
            int i = log.indexOf(entry);
            if (i >= 0) {
                RecordedRequest e = entry;
                entry = new RecordedRequest(e.method(), e.path(), e.range(), e.headers(), e.connection(), e.port(),
                        e.status(), sent);
                log.set(i, entry);
            }
        }
    }

    private int answer(HttpExchange ex, String method, String rawPath, Optional<String> rangeHeader, Pending written)
            throws IOException {
        String path = rawPath.startsWith("/redirected/") ? rawPath.substring("/redirected".length()) : rawPath;
        List<Fault> active = faults.getOrDefault(path, List.of());
        Headers out = ex.getResponseHeaders();
        for (Fault f : active) {
            if (f instanceof Fault.Latency l) {
                sleep(l.delay().toMillis());
            }
        }
        if (!rawPath.startsWith("/redirected/") && ex.getLocalAddress().getPort() == port()) {
            for (Fault f : active) {
                if (f instanceof Fault.Redirect r) {
                    String target = switch (r.kind()) {
                        case SAME_ORIGIN -> "/redirected" + path;
                        case CROSS_ORIGIN -> otherOriginUri(path).toString();
                        case LOOP -> path;
                        case HTTPS_TO_HTTP -> uri(path).toString();
                    };
                    out.set("Location", target);
                    written.commit(r.status());
                    ex.sendResponseHeaders(r.status(), -1);
                    return r.status();
                }
            }
        }
        Resource res = resources.get(path);
        if (res == null) {
            return sendText(ex, written, 404, "no resource at " + path);
        }
        int version = advanceVersion(res);
        boolean noEtag = has(active, Fault.NoEtag.class);
        String etag = res.etag(path);
        String lastModified = res.lastModified();
        if (!noEtag) {
            out.set("ETag", etag);
        }
        out.set("Last-Modified", lastModified);
        out.set("Accept-Ranges", "bytes");
        out.set("Content-Type", "application/octet-stream");
        boolean head = method.equals("HEAD");
        if (!head && !method.equals("GET")) {
            return sendText(ex, written, 405, "method " + method + " not allowed");
        }
        if (head && has(active, Fault.HeadRefused.class)) {
            out.remove("ETag");
            out.remove("Last-Modified");
            written.commit(405);
            ex.sendResponseHeaders(405, -1);
            return 405;
        }
        if (!head) {
            for (Fault f : active) {
                if (f instanceof Fault.Status s && take(path, f)) {
                    s.retryAfter().ifPresent(d -> out.set("Retry-After", Long.toString(d.toSeconds())));
                    return sendText(ex, written, s.status(), "injected status " + s.status());
                }
            }
        }
        String ifNoneMatch = ex.getRequestHeaders().getFirst("If-None-Match");
        String ifModifiedSince = ex.getRequestHeaders().getFirst("If-Modified-Since");
        if (ifNoneMatch != null && !noEtag && (ifNoneMatch.equals(etag) || ifNoneMatch.equals("*"))
                || ifNoneMatch == null && ifModifiedSince != null && ifModifiedSince.equals(lastModified)) {
            written.commit(304);
            ex.sendResponseHeaders(304, -1);
            return 304;
        }
        boolean gzip = has(active, Fault.GzipWhenAllowed.class) && allowsGzip(ex.getRequestHeaders().getFirst("Accept-Encoding"));
        if (head) {
            out.set("Content-Length", Long.toString(res.length));
            written.commit(200);
            ex.sendResponseHeaders(200, -1);
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
            return sendText(ex, written, 416, "range not satisfiable");
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
        out.set("Content-Range", "bytes " + r.start() + "-" + (r.stop() - 1) + "/" + res.length);
        return sendBody(ex, res, version, path, 206, r, gzip, active, written);
    }

    private int sendBody(HttpExchange ex, Resource res, int version, String path, int status, Range r, boolean gzip,
            List<Fault> active, Pending written) throws IOException {
        long length = r.length();
        long cutAfter = -1;
        boolean reset = false;
        boolean chunked = has(active, Fault.NoContentLength.class);
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
            written.bytes = body.length;
            written.commit(status);
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
            return status;
        }
        long toSend = cutAfter >= 0 ? Math.min(cutAfter, length) : length;
        // Logged before the first byte leaves, with the bytes planned; corrected below if fewer went.
        written.bytes = toSend + extra;
        written.commit(status);
        ex.sendResponseHeaders(status, chunked ? 0 : length + extra);
        OutputStream os = ex.getResponseBody();
        byte[] buf = new byte[CHUNK];
        long pos = r.start();
        long sent = 0;
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
                os.write(0x5a);
            }
            os.close();
        } catch (IOException e) {
            // Client went away or a reset was injected; closing the exchange drops the connection.
            ex.close();
            if (sent < toSend) {
                written.correct(sent);
            }
        }
        return status;
    }

    private int sendMultipart(HttpExchange ex, Resource res, int version, List<Range> ranges, Pending written)
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
        written.bytes = bytes.length;
        written.commit(206);
        ex.sendResponseHeaders(206, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
        return 206;
    }

    private static int sendText(HttpExchange ex, Pending pending, int status, String text) throws IOException {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        pending.commit(status);
        ex.sendResponseHeaders(status, body.length);
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
