package io.rangestreams.spi;

import io.rangestreams.Range;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP request a {@link RangeTransport} sends: a {@code GET} or {@code HEAD} of a URI, with the
 * byte ranges wanted (none for the whole resource) and extra headers such as {@code If-Range}.
 *
 * <p>The {@code Range} header is written by {@link #rangeHeader()}, the one place where half-open
 * ranges become HTTP's inclusive {@code bytes=a-b}.
 *
 * @param method {@code GET} or {@code HEAD}
 * @param uri the absolute {@code http} or {@code https} URI
 * @param ranges the ranges wanted, in order; empty for the whole resource
 * @param headers extra request headers, by name (names are case-insensitive)
 */
public record RangeRequest(String method, URI uri, List<Range> ranges, Map<String, String> headers) {

    /** Validates and copies the request; header names are kept case-insensitive. */
    public RangeRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new IllegalArgumentException("method must be GET or HEAD, was " + method);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("not an absolute http or https URI: " + uri);
        }
        ranges = List.copyOf(ranges);
        for (Range r : ranges) {
            if (!r.isResolved() && !(r.isSuffix()) && !(r.start() >= 0 && r.stop() == Range.END)) {
                throw new IllegalArgumentException("range " + r + " cannot be sent: only absolute, open-ended"
                        + " or suffix ranges have an HTTP form");
            }
            if (r.isEmpty()) {
                throw new IllegalArgumentException("range " + r + " is empty and has no HTTP form");
            }
        }
        TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(headers);
        headers = Collections.unmodifiableMap(copy);
    }

    /** A {@code GET} of one range; see {@link #getAll} for the whole resource. */
    public static RangeRequest get(URI uri, Range range) {
        return new RangeRequest("GET", uri, List.of(range), Map.of());
    }

    /** A {@code GET} of the whole resource, without a {@code Range} header. */
    public static RangeRequest getAll(URI uri) {
        return new RangeRequest("GET", uri, List.of(), Map.of());
    }

    /** A {@code HEAD} of the resource. */
    public static RangeRequest head(URI uri) {
        return new RangeRequest("HEAD", uri, List.of(), Map.of());
    }

    /** This request with one more header (replacing a header of the same name). */
    public RangeRequest withHeader(String name, String value) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        h.put(name, value);
        return new RangeRequest(method, uri, ranges, h);
    }

    /** This request with the given headers added (replacing headers of the same names). */
    public RangeRequest withHeaders(Map<String, String> extra) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        h.putAll(extra);
        return new RangeRequest(method, uri, ranges, h);
    }

    /** This request sent to another URI (after a redirect), with the given headers. */
    public RangeRequest redirectedTo(URI target, String newMethod, Map<String, String> newHeaders) {
        return new RangeRequest(newMethod, target, ranges, newHeaders);
    }

    /**
     * The value of the {@code Range} header, if ranges are asked for: {@code bytes=a-b} for
     * {@code [a, b + 1)}, {@code bytes=a-} for an open end, {@code bytes=-n} for the last {@code n}
     * bytes, comma-separated when there are several.
     */
    public Optional<String> rangeHeader() {
        if (ranges.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder("bytes=");
        for (int i = 0; i < ranges.size(); i++) {
            Range r = ranges.get(i);
            if (i > 0) {
                sb.append(',');
            }
            if (r.isSuffix()) {
                sb.append('-').append(-r.start());
            } else if (r.stop() == Range.END) {
                sb.append(r.start()).append('-');
            } else {
                sb.append(r.start()).append('-').append(r.stop() - 1);
            }
        }
        return Optional.of(sb.toString());
    }

    /**
     * Every header to put on the wire: the request's own, then {@code Accept-Encoding: identity} (byte
     * offsets are offsets of the file, never of a compressed form) and the {@code Range} header of
     * {@link #rangeHeader()}, which replace any of the same name.
     */
    public Map<String, String> wireHeaders() {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        h.put("Accept-Encoding", "identity");
        h.remove("Range");
        rangeHeader().ifPresent(v -> h.put("Range", v));
        return Collections.unmodifiableMap(h);
    }

    /** The header's value, if set (names are case-insensitive). */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    @Override
    public String toString() {
        return method + " " + uri + rangeHeader().map(h -> " (" + h + ")").orElse("");
    }
}
