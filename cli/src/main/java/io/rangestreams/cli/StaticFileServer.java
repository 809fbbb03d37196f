package io.rangestreams.cli;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A range-capable static file server for local use, bound to 127.0.0.1 only, built on the JDK's
 * {@code com.sun.net.httpserver}. It serves the regular files under one directory with {@code GET} and
 * {@code HEAD}, answers a single byte range with {@code 206} and {@code Content-Range}, a range wholly past
 * the end with {@code 416} ({@code Content-Range: bytes *}{@code /length}), and sends a strong
 * {@code ETag} (from size and modification time) and {@code Last-Modified}, honouring {@code If-Range},
 * {@code If-None-Match} and {@code If-Modified-Since}. A request for several ranges gets the whole file
 * ({@code 200}), which RFC 9110 allows. A directory gets a plain-text listing of its entries.
 *
 * <p>Thread-safe. It counts the requests and body bytes it served, so the demo can show them.
 */
public final class StaticFileServer implements AutoCloseable {

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final Path root;
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong bytesServed = new AtomicLong();

    private final Consumer<String> accessLog;

    private StaticFileServer(Path root, HttpServer server, ExecutorService executor, Consumer<String> accessLog) {
        this.root = root;
        this.server = server;
        this.executor = executor;
        this.accessLog = accessLog;
    }

    /**
     * Starts serving {@code directory} on 127.0.0.1.
     *
     * @param directory an existing directory
     * @param port the port, or 0 for an ephemeral one
     * @throws NoSuchFileException if {@code directory} is not a directory
     * @throws IOException if the port cannot be bound
     */
    public static StaticFileServer start(Path directory, int port) throws IOException {
        return start(directory, port, line -> { });
    }

    /**
     * Starts serving {@code directory} on 127.0.0.1, passing one line per request answered to
     * {@code accessLog} (method, path, {@code Range} header, status, body bytes).
     *
     * @see #start(Path, int)
     */
    public static StaticFileServer start(Path directory, int port, Consumer<String> accessLog) throws IOException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(accessLog, "accessLog");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "not a directory");
        }
        Path root = directory.toRealPath();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (java.net.BindException e) {
            throw new java.net.BindException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "range-streams-serve-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        StaticFileServer s = new StaticFileServer(root, server, executor, accessLog);
        server.createContext("/", s::handle);
        server.setExecutor(executor);
        server.start();
        return s;
    }

    /** The directory served. */
    public Path root() {
        return root;
    }

    /** The port listened on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The URI of a file under the root, given by its relative path with '/' separators. */
    public URI uri(String relativePath) {
        String p = relativePath.startsWith("/") ? relativePath.substring(1) : relativePath;
        return URI.create("http://127.0.0.1:" + port() + "/" + encodePath(p));
    }

    /** How many requests have been answered. */
    public int requests() {
        return requests.get();
    }

    /** How many body bytes have been sent. */
    public long bytesServed() {
        return bytesServed.get();
    }

    /** Stops the server at once. Idempotent. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        long before = bytesServed.get();
        try (ex) {
            requests.incrementAndGet();
            answer(ex);
        } catch (IOException | RuntimeException e) {
            // The client went away mid-body, or the file vanished: nothing more can be sent.
        } finally {
            String range = ex.getRequestHeaders().getFirst("Range");
            accessLog.accept(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath()
                    + (range != null ? " " + range : "") + " -> " + ex.getResponseCode() + " ("
                    + (bytesServed.get() - before) + " bytes)");
        }
    }

    private void answer(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        boolean head = method.equals("HEAD");
        if (!head && !method.equals("GET")) {
            ex.getResponseHeaders().set("Allow", "GET, HEAD");
            sendText(ex, 405, "method " + method + " not allowed", head);
            return;
        }
        String rawPath = ex.getRequestURI().getRawPath();
        Path file = resolve(rawPath);
        if (file == null || !Files.exists(file)) {
            sendText(ex, 404, "not found: " + rawPath, head);
            return;
        }
        if (Files.isDirectory(file)) {
            sendText(ex, 200, listing(file), head);
            return;
        }
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        long length = attrs.size();
        Instant modified = attrs.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.SECONDS);
        String etag = "\"" + Long.toHexString(length) + "-" + Long.toHexString(modified.getEpochSecond()) + "\"";
        String lastModified = HTTP_DATE.format(modified);
        Headers in = ex.getRequestHeaders();
        Headers out = ex.getResponseHeaders();
        out.set("ETag", etag);
        out.set("Last-Modified", lastModified);
        out.set("Accept-Ranges", "bytes");
        out.set("Content-Type", contentType(file));
        if (notModified(in, etag, modified)) {
            ex.sendResponseHeaders(304, -1);
            return;
        }
        String range = in.getFirst("Range");
        String ifRange = in.getFirst("If-Range");
        boolean rangeApplies = range != null && (ifRange == null || ifRange.equals(etag) || ifRange.equals(lastModified));
        long[] span = rangeApplies ? parseSingleRange(range, length) : null;
        if (span != null && span.length == 0) {
            out.set("Content-Range", "bytes */" + length);
            sendText(ex, 416, "range " + range + " not satisfiable; length is " + length, head);
            return;
        }
        if (span == null) {
            sendFile(ex, file, 200, 0, length, head);
            return;
        }
        out.set("Content-Range", "bytes " + span[0] + "-" + (span[1] - 1) + "/" + length);
        sendFile(ex, file, 206, span[0], span[1] - span[0], head);
    }

    private static boolean notModified(Headers in, String etag, Instant modified) {
        String ifNoneMatch = in.getFirst("If-None-Match");
        if (ifNoneMatch != null) {
            for (String tag : ifNoneMatch.split(",")) {
                String t = tag.trim();
                if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                    return true;
                }
            }
            return false;
        }
        String ifModifiedSince = in.getFirst("If-Modified-Since");
        if (ifModifiedSince != null) {
            try {
                return !modified.isAfter(ZonedDateTime.parse(ifModifiedSince, HTTP_DATE).toInstant());
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * Parses a {@code Range} header against the length: the half-open {@code [start, stop)} clipped to
     * the length; an empty array when it is not satisfiable; {@code null} when the header is malformed
     * or asks for several ranges (both mean: serve the whole file).
     */
    static long[] parseSingleRange(String header, long length) {
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
            return null;
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        OptionalLong first = number(spec.substring(0, dash));
        OptionalLong last = number(spec.substring(dash + 1));
        if (first.isEmpty()) {
            if (last.isEmpty() || dash != 0) {
                return null;
            }
            long n = last.getAsLong();
            if (n == 0 || length == 0) {
                return new long[0];
            }
            return new long[] {Math.max(0, length - n), length};
        }
        long start = first.getAsLong();
        if (dash != spec.length() - 1 && last.isEmpty()) {
            return null;
        }
        if (last.isPresent() && last.getAsLong() < start) {
            return null;
        }
        if (start >= length) {
            return new long[0];
        }
        long stop = last.isPresent() ? Math.min(length, last.getAsLong() + 1) : length;
        return new long[] {start, stop};
    }

    private static OptionalLong number(String s) {
        String t = s.trim();
        if (t.isEmpty() || !t.chars().allMatch(c -> c >= '0' && c <= '9') || t.length() > 18) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(t));
    }

    private void sendFile(HttpExchange ex, Path file, int status, long start, long count, boolean head)
            throws IOException {
        if (head) {
            ex.getResponseHeaders().set("Content-Length", Long.toString(count));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, count == 0 ? -1 : count);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                InputStream body = Channels.newInputStream(ch.position(start));
                OutputStream os = ex.getResponseBody()) {
            byte[] buf = new byte[64 * 1024];
            long left = count;
            while (left > 0) {
                int n = body.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException(file + " became shorter while being served");
                }
                os.write(buf, 0, n);
                bytesServed.addAndGet(n);
                left -= n;
            }
        }
    }

    private void sendText(HttpExchange ex, int status, String text, boolean head) throws IOException {
        byte[] body = (text.endsWith("\n") ? text : text + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if (head) {
            ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
        bytesServed.addAndGet(body.length);
    }

    /** The file a request path names, or null if it would leave the root. */
    private Path resolve(String rawPath) {
        String decoded = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        Path p = root;
        for (String part : decoded.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") || part.indexOf('\\') >= 0 || part.indexOf('\0') >= 0) {
                return null;
            }
            p = p.resolve(part);
        }
        try {
            // Symbolic links pointing outside the root are refused too.
            return !Files.exists(p) || p.toRealPath().startsWith(root) ? p : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String listing(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.sorted().forEach(p -> sb.append(p.getFileName()).append(Files.isDirectory(p) ? "/" : "").append('\n'));
        }
        return sb.toString();
    }

    private static String contentType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".zip") || name.endsWith(".conda")) {
            return "application/zip";
        } else if (name.endsWith(".tar")) {
            return "application/x-tar";
        } else if (name.endsWith(".png")) {
            return "image/png";
        } else if (name.endsWith(".txt") || name.endsWith(".csv") || name.endsWith(".md")) {
            return "text/plain; charset=utf-8";
        } else if (name.endsWith(".json")) {
            return "application/json";
        }
        return "application/octet-stream";
    }

    private static String encodePath(String path) {
        StringBuilder sb = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "/-._~".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return sb.toString();
    }
}
