package io.rangestreams.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP/1.1 request read by {@link StaticFileConnections} and its response, written on a blocking
 * channel: the request line and headers (no body: the server accepts {@code GET} and {@code HEAD}
 * only), then a status line, headers and a body from a file region or from bytes.
 *
 * <p>Not thread-safe: one worker thread answers one exchange.
 */
final class StaticFileExchange {

    private final SocketChannel channel;
    private final String method;
    private final String rawPath;
    private final boolean http11;
    private final Map<String, String> requestHeaders;
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();
    private int status;
    private long bodyBytes;

    private StaticFileExchange(SocketChannel channel, String method, String rawPath, boolean http11,
            Map<String, String> requestHeaders) {
        this.channel = channel;
        this.method = method;
        this.rawPath = rawPath;
        this.http11 = http11;
        this.requestHeaders = requestHeaders;
    }

    /**
     * Parses a request head (request line and header lines, ending with an empty line).
     *
     * @throws IOException naming what is malformed
     */
    static StaticFileExchange parse(SocketChannel channel, byte[] head, int length) throws IOException {
        String text = new String(head, 0, length, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            throw new IOException("malformed request line '" + lines[0] + "'");
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0 || Character.isWhitespace(lines[i].charAt(0))) {
                throw new IOException("malformed header line '" + lines[i] + "'");
            }
            headers.putIfAbsent(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
        }
        return new StaticFileExchange(channel, requestLine[0], path(requestLine[1]), requestLine[2].equals("HTTP/1.1"),
                headers);
    }

    /** The raw path of an origin-form or absolute-form target, without its query. */
    private static String path(String target) throws IOException {
        String t = target;
        if (t.startsWith("http://") || t.startsWith("https://")) {
            try {
                t = new URI(t).getRawPath();
            } catch (URISyntaxException e) {
                throw new IOException("malformed request target '" + target + "'");
            }
        }
        if (t == null || !t.startsWith("/")) {
            throw new IOException("malformed request target '" + target + "'");
        }
        int query = t.indexOf('?');
        return query < 0 ? t : t.substring(0, query);
    }

    String method() {
        return method;
    }

    String rawPath() {
        return rawPath;
    }

    /** A request header's value, if sent. */
    Optional<String> header(String name) {
        return Optional.ofNullable(requestHeaders.get(name));
    }

    /** Whether the request carries a body, which this server does not read. */
    boolean hasBody() {
        return requestHeaders.containsKey("Transfer-Encoding")
                || !requestHeaders.getOrDefault("Content-Length", "0").trim().equals("0");
    }

    /** Whether the connection may carry another request after this one. */
    boolean keepAlive() {
        String connection = requestHeaders.getOrDefault("Connection", "").toLowerCase(Locale.ROOT);
        return http11 && !connection.contains("close") && !hasBody();
    }

    void setHeader(String name, String value) {
        responseHeaders.put(name, value);
    }

    /** The status sent, 0 before the response. */
    int status() {
        return status;
    }

    /** The body bytes sent. */
    long bodyBytes() {
        return bodyBytes;
    }

    /** Sends a status and headers with no body: a {@code HEAD}, a 304, or a body of {@code length} not sent. */
    void sendHead(int code, long length) throws IOException {
        if (length >= 0) {
            responseHeaders.put("Content-Length", Long.toString(length));
        }
        writeHead(code);
    }

    /** Sends {@code body} with its length. */
    void sendBytes(int code, byte[] body) throws IOException {
        responseHeaders.put("Content-Length", Integer.toString(body.length));
        writeHead(code);
        ByteBuffer b = ByteBuffer.wrap(body);
        while (b.hasRemaining()) {
            bodyBytes += channel.write(b);
        }
    }

    /** Sends {@code count} bytes of {@code file} from {@code start}. */
    void sendFile(int code, Path file, long start, long count) throws IOException {
        responseHeaders.put("Content-Length", Long.toString(count));
        writeHead(code);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = start;
            long end = start + count;
            while (position < end) {
                long n = ch.transferTo(position, end - position, channel);
                if (n <= 0 && position >= ch.size()) {
                    throw new IOException(file + " became shorter while being served");
                }
                position += n;
                bodyBytes += n;
            }
        }
    }

    /** Sends {@code parts} of {@code file} as one {@code multipart/byteranges} body with its length. */
    void sendParts(int code, Path file, ByteRanges parts) throws IOException {
        responseHeaders.put("Content-Length", Long.toString(parts.bodyLength()));
        writeHead(code);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int i = 0; i < parts.spans().size(); i++) {
                writeAll(parts.partHead(i));
                long[] span = parts.spans().get(i);
                for (long position = span[0]; position < span[1]; ) {
                    long n = ch.transferTo(position, span[1] - position, channel);
                    if (n <= 0 && position >= ch.size()) {
                        throw new IOException(file + " became shorter while being served");
                    }
                    position += n;
                    bodyBytes += n;
                }
            }
            writeAll(parts.closing());
        }
    }

    private void writeAll(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            bodyBytes += channel.write(b);
        }
    }

    private void writeHead(int code) throws IOException {
        if (status != 0) {
            throw new IllegalStateException("response already sent: " + status);
        }
        status = code;
        if (!keepAlive()) {
            responseHeaders.put("Connection", "close");
        }
        StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(code).append(' ').append(reason(code)).append("\r\n");
        responseHeaders.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        ByteBuffer b = ByteBuffer.wrap(sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** A response with no request behind it (a refusal before parsing), written without blocking or waiting. */
    static ByteBuffer refusal(int code, String text) {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + code + " " + reason(code) + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocate(h.length + body.length).put(h).put(body).flip();
    }

    private static String reason(int code) {
        return switch (code) {
            case 200 -> "OK";
            case 206 -> "Partial Content";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 416 -> "Range Not Satisfiable";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> "Status " + code;
        };
    }
}
