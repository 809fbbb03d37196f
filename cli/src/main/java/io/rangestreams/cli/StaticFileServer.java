package io.rangestreams.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A range-capable static file server for local use, bound to 127.0.0.1 only. It serves the regular files under one directory with {@code GET} and
 * {@code HEAD}, answers a single byte range with {@code 206} and {@code Content-Range}, a range wholly past
 * the end with {@code 416} ({@code Content-Range: bytes *}{@code /length}), and sends a strong
 * {@code ETag} (from size and modification time) and {@code Last-Modified}, honouring {@code If-Range},
 * {@code If-None-Match} and {@code If-Modified-Since}. A request for several ranges gets them as one
 * {@code multipart/byteranges} body ({@link ByteRanges}), or the whole file when they overlap or are
 * too many, which RFC 9110 allows. A directory gets a plain-text listing of its entries. Dates are
 * IMF-fixdate ({@code Fri, 04 Dec 2026 09:05:00 GMT}); the content type follows the file's extension.
 *
 * <p>Its threads are bounded: one reads every request head without blocking ({@link StaticFileConnections}),
 * a fixed pool answers complete requests. A request head must arrive within the header timeout, or the
 * connection gets {@code 408} and is closed, so half-sent requests hold no thread and not for long.
 *
 * <p>Thread-safe. It counts the requests and body bytes it served, so the demo can show them.
 */
public final class StaticFileServer implements AutoCloseable {

    /** IMF-fixdate (RFC 9110): a two-digit day, always GMT. */
    static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    /**
     * Bounds on what clients may hold.
     *
     * @param threads the worker threads answering requests
     * @param queue the complete requests that may wait for a worker; more get {@code 503}
     * @param headerTimeout how long a request head may take from its first byte to its empty line
     * @param idleTimeout how long a connection may wait for its first (or next) request
     * @param maxHeadBytes the longest request head accepted; longer gets {@code 431}
     */
    record Limits(int threads, int queue, Duration headerTimeout, Duration idleTimeout, int maxHeadBytes) {

        /** Sixteen workers, 256 waiting requests, 10 s for a head, 60 s idle, 16 KiB heads. */
        static final Limits DEFAULT = new Limits(16, 256, Duration.ofSeconds(10), Duration.ofSeconds(60), 16 * 1024);

        Limits {
            Objects.requireNonNull(headerTimeout, "headerTimeout");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            if (threads < 1 || queue < 1 || maxHeadBytes < 64 || headerTimeout.isNegative() || headerTimeout.isZero()
                    || idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("invalid limits: " + threads + " threads, queue " + queue
                        + ", header timeout " + headerTimeout + ", idle timeout " + idleTimeout + ", head "
                        + maxHeadBytes + " bytes");
            }
        }
    }

    private final Path root;
    private final int port;
    private final StaticFileConnections connections;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong bytesServed = new AtomicLong();
    private final Consumer<String> accessLog;

    private StaticFileServer(Path root, ServerSocketChannel channel, Limits limits, Consumer<String> accessLog)
            throws IOException {
        this.root = root;
        this.port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        this.accessLog = accessLog;
        this.connections = new StaticFileConnections(channel, limits, this::handle);
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
        return start(directory, port, accessLog, Limits.DEFAULT);
    }

    static StaticFileServer start(Path directory, int port, Consumer<String> accessLog, Limits limits)
            throws IOException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(accessLog, "accessLog");
        Objects.requireNonNull(limits, "limits");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "not a directory");
        }
        Path root = directory.toRealPath();
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
            return new StaticFileServer(root, channel, limits, accessLog);
        } catch (BindException e) {
            channel.close();
            throw new BindException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The directory served. */
    public Path root() {
        return root;
    }

    /** The port listened on. */
    public int port() {
        return port;
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

    /** The worker threads alive now, never more than the limit. */
    int workerThreads() {
        return connections.workerThreads();
    }

    /** Stops the server at once. Idempotent. */
    @Override
    public void close() {
        connections.close();
    }

    private void handle(StaticFileExchange ex) throws IOException {
        try {
            requests.incrementAndGet();
            answer(ex);
        } finally {
            bytesServed.addAndGet(ex.bodyBytes());
            String range = ex.header("Range").orElse(null);
            accessLog.accept(ex.method() + " " + ex.rawPath() + (range != null ? " " + range : "") + " -> "
                    + ex.status() + " (" + ex.bodyBytes() + " bytes)");
        }
    }

    private void answer(StaticFileExchange ex) throws IOException {
        String method = ex.method();
        boolean head = method.equals("HEAD");
        if (!head && !method.equals("GET")) {
            ex.setHeader("Allow", "GET, HEAD");
            sendText(ex, 405, "method " + method + " not allowed", head);
            return;
        }
        if (ex.hasBody()) {
            sendText(ex, 400, "a " + method + " request carries no body", head);
            return;
        }
        String rawPath = ex.rawPath();
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
        ex.setHeader("ETag", etag);
        ex.setHeader("Last-Modified", lastModified);
        ex.setHeader("Accept-Ranges", "bytes");
        ex.setHeader("Content-Type", contentType(file));
        if (notModified(ex, etag, modified)) {
            ex.sendHead(304, -1);
            return;
        }
        String range = ex.header("Range").orElse(null);
        String ifRange = ex.header("If-Range").orElse(null);
        boolean rangeApplies = range != null && (ifRange == null || ifRange.equals(etag) || ifRange.equals(lastModified));
        if (rangeApplies && range.indexOf(',') >= 0) {
            sendRanges(ex, file, range, length, head);
            return;
        }
        long[] span = rangeApplies ? ByteRanges.single(range, length) : null;
        if (span != null && span.length == 0) {
            ex.setHeader("Content-Range", "bytes */" + length);
            sendText(ex, 416, "range " + range + " not satisfiable; length is " + length, head);
            return;
        }
        if (span == null) {
            sendFile(ex, file, 200, 0, length, head);
            return;
        }
        ex.setHeader("Content-Range", "bytes " + span[0] + "-" + (span[1] - 1) + "/" + length);
        sendFile(ex, file, 206, span[0], span[1] - span[0], head);
    }

    /** Several ranges: a multipart body, one part's plain 206, a 416, or the whole file (see {@link ByteRanges}). */
    private static void sendRanges(StaticFileExchange ex, Path file, String range, long length, boolean head)
            throws IOException {
        ByteRanges parts = ByteRanges.parse(range, length, contentType(file)).orElse(null);
        if (parts == null) {
            sendFile(ex, file, 200, 0, length, head);
        } else if (parts.spans().isEmpty()) {
            ex.setHeader("Content-Range", "bytes */" + length);
            sendText(ex, 416, "range " + range + " not satisfiable; length is " + length, head);
        } else if (parts.spans().size() == 1) {
            long[] span = parts.spans().get(0);
            ex.setHeader("Content-Range", "bytes " + span[0] + "-" + (span[1] - 1) + "/" + length);
            sendFile(ex, file, 206, span[0], span[1] - span[0], head);
        } else {
            ex.setHeader("Content-Type", parts.mediaType());
            if (head) {
                ex.sendHead(206, parts.bodyLength());
            } else {
                ex.sendParts(206, file, parts);
            }
        }
    }

    private static boolean notModified(StaticFileExchange in, String etag, Instant modified) {
        String ifNoneMatch = in.header("If-None-Match").orElse(null);
        if (ifNoneMatch != null) {
            for (String tag : ifNoneMatch.split(",")) {
                String t = tag.trim();
                if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                    return true;
                }
            }
            return false;
        }
        String ifModifiedSince = in.header("If-Modified-Since").orElse(null);
        if (ifModifiedSince != null) {
            try {
                // RFC 1123 parsing takes IMF-fixdate and the one-digit days some clients send.
                return !modified.isAfter(ZonedDateTime.parse(ifModifiedSince, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant());
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return false;
    }

    private static void sendFile(StaticFileExchange ex, Path file, int status, long start, long count, boolean head)
            throws IOException {
        if (head) {
            ex.sendHead(status, count);
        } else {
            ex.sendFile(status, file, start, count);
        }
    }

    private static void sendText(StaticFileExchange ex, int status, String text, boolean head) throws IOException {
        byte[] body = (text.endsWith("\n") ? text : text + "\n").getBytes(StandardCharsets.UTF_8);
        ex.setHeader("Content-Type", "text/plain; charset=utf-8");
        if (head) {
            ex.sendHead(status, body.length);
        } else {
            ex.sendBytes(status, body);
        }
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

    /** Content types by extension, as web servers' default tables give them. */
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("md", "text/markdown; charset=utf-8"), Map.entry("csv", "text/csv; charset=utf-8"),
            Map.entry("tsv", "text/tab-separated-values; charset=utf-8"), Map.entry("xml", "application/xml"),
            Map.entry("json", "application/json"), Map.entry("pdf", "application/pdf"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("svg", "image/svg+xml"),
            Map.entry("ico", "image/vnd.microsoft.icon"), Map.entry("tif", "image/tiff"),
            Map.entry("tiff", "image/tiff"), Map.entry("zip", "application/zip"),
            Map.entry("jar", "application/java-archive"), Map.entry("whl", "application/zip"),
            Map.entry("tar", "application/x-tar"), Map.entry("gz", "application/gzip"),
            Map.entry("tgz", "application/gzip"), Map.entry("bz2", "application/x-bzip2"),
            Map.entry("xz", "application/x-xz"), Map.entry("zst", "application/zstd"),
            Map.entry("7z", "application/x-7z-compressed"), Map.entry("rar", "application/vnd.rar"),
            Map.entry("deb", "application/vnd.debian.binary-package"), Map.entry("rpm", "application/x-rpm"),
            Map.entry("wasm", "application/wasm"), Map.entry("parquet", "application/vnd.apache.parquet"),
            Map.entry("mp3", "audio/mpeg"), Map.entry("ogg", "audio/ogg"), Map.entry("wav", "audio/wav"),
            Map.entry("mp4", "video/mp4"), Map.entry("webm", "video/webm"), Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"));

    /** The content type for a file's extension; {@code application/octet-stream} for any other. */
    static String contentType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "application/octet-stream" : TYPES.getOrDefault(name.substring(dot + 1),
                "application/octet-stream");
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
