package io.rangestreams.spi;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The answer to one {@link RangeRequest}: status, headers, the URI that answered (after redirects)
 * and the body as a stream. Closing the response releases its connection; it is idempotent.
 *
 * <p>Not thread-safe: one thread at a time reads the body. (The engine may hand a streamed body from
 * its fetching thread to a reader, under a lock, so each read happens after the one before.)
 */
public final class RangeResponse implements Closeable {

    private final int status;
    private final URI uri;
    private final Map<String, List<String>> headers;
    private final InputStream body;
    private final String protocol;

    /** The protocol of a response over HTTP/1.1. */
    public static final String HTTP_1_1 = "HTTP/1.1";

    /** The protocol of a response over HTTP/2. */
    public static final String HTTP_2 = "HTTP/2";

    /**
     * A response that came over HTTP/1.1.
     *
     * @param status the HTTP status
     * @param uri the URI that answered, after redirects
     * @param headers the response headers (names are compared case-insensitively)
     * @param body the body, streamed; empty for {@code HEAD}
     */
    public RangeResponse(int status, URI uri, Map<String, List<String>> headers, InputStream body) {
        this(status, uri, headers, body, HTTP_1_1);
    }

    /**
     * A response.
     *
     * @param status the HTTP status
     * @param uri the URI that answered, after redirects
     * @param headers the response headers (names are compared case-insensitively)
     * @param body the body, streamed; empty for {@code HEAD}
     * @param protocol the protocol it came over, as HTTP writes it: {@value #HTTP_1_1}, {@value #HTTP_2}
     */
    public RangeResponse(int status, URI uri, Map<String, List<String>> headers, InputStream body, String protocol) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        this.status = status;
        this.uri = Objects.requireNonNull(uri, "uri");
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> {
            if (k != null) {
                copy.merge(k, List.copyOf(v), (a, b) -> {
                    List<String> all = new java.util.ArrayList<>(a);
                    all.addAll(b);
                    return List.copyOf(all);
                });
            }
        });
        this.headers = Collections.unmodifiableMap(copy);
        this.body = Objects.requireNonNull(body, "body");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
    }

    /** The protocol the response came over: {@value #HTTP_1_1}, {@value #HTTP_2}. */
    public String protocol() {
        return protocol;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The URI that answered, after redirects. */
    public URI uri() {
        return uri;
    }

    /** All headers, by case-insensitive name. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of a header, if present. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The parsed {@code Content-Range}, if present and well formed. */
    public Optional<ContentRange> contentRange() {
        return header("Content-Range").flatMap(ContentRange::parse);
    }

    /** The {@code Content-Length}, if present and a number. */
    public OptionalLong contentLength() {
        Optional<String> v = header("Content-Length");
        if (v.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long n = Long.parseLong(v.get().trim());
            return n < 0 ? OptionalLong.empty() : OptionalLong.of(n);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The body, streamed from the connection; read it once. */
    public InputStream body() {
        return body;
    }

    @Override
    public void close() throws IOException {
        body.close();
    }

    @Override
    public String toString() {
        return status + " from " + uri + " over " + protocol;
    }
}
