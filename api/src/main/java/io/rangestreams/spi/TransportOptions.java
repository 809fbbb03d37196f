package io.rangestreams.spi;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a {@link RangeTransportProvider} is configured with when it creates a transport.
 *
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout how long a read of the response (headers or any part of the body) may stall
 * @param headers headers sent with every request (authorization, user agent...)
 * @param proxy an HTTP proxy to send requests through, if any
 * @param maxConnections the most connections kept open to one host
 * @param maxRedirects the most redirects followed for one request
 */
public record TransportOptions(Duration connectTimeout, Duration readTimeout, Map<String, String> headers,
        Optional<InetSocketAddress> proxy, int maxConnections, int maxRedirects) {

    /** The default user agent. */
    public static final String USER_AGENT = "range-streams-java/0.1";

    /** Validates the options. */
    public TransportOptions {
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(readTimeout, "readTimeout");
        TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(Objects.requireNonNull(headers, "headers"));
        headers = Collections.unmodifiableMap(h);
        Objects.requireNonNull(proxy, "proxy");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
        }
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("maxRedirects must not be negative, was " + maxRedirects);
        }
    }

    /** Connect 10 s, read 30 s, no extra headers, no proxy, 16 connections, 10 redirects. */
    public static TransportOptions defaults() {
        return new TransportOptions(Duration.ofSeconds(10), Duration.ofSeconds(30), Map.of(), Optional.empty(), 16, 10);
    }

    /** These options with another connect timeout. */
    public TransportOptions withConnectTimeout(Duration timeout) {
        return new TransportOptions(timeout, readTimeout, headers, proxy, maxConnections, maxRedirects);
    }

    /** These options with another read timeout. */
    public TransportOptions withReadTimeout(Duration timeout) {
        return new TransportOptions(connectTimeout, timeout, headers, proxy, maxConnections, maxRedirects);
    }

    /** These options with one more header sent on every request. */
    public TransportOptions withHeader(String name, String value) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        h.put(name, value);
        return new TransportOptions(connectTimeout, readTimeout, h, proxy, maxConnections, maxRedirects);
    }

    /** These options with requests sent through an HTTP proxy. */
    public TransportOptions withProxy(InetSocketAddress address) {
        return new TransportOptions(connectTimeout, readTimeout, headers, Optional.of(address), maxConnections,
                maxRedirects);
    }

    /** These options with another connection limit per host. */
    public TransportOptions withMaxConnections(int max) {
        return new TransportOptions(connectTimeout, readTimeout, headers, proxy, max, maxRedirects);
    }

    /** These options with another redirect limit. */
    public TransportOptions withMaxRedirects(int max) {
        return new TransportOptions(connectTimeout, readTimeout, headers, proxy, maxConnections, max);
    }

    /**
     * The request with the default {@code User-Agent} and these options' headers added beneath its own
     * (the request's win). {@link Redirects#follow} applies it before following redirects, so credentials
     * from the options are stripped too when a redirect leaves the origin.
     */
    public RangeRequest applyTo(RangeRequest request) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.put("User-Agent", USER_AGENT);
        h.putAll(headers);
        h.putAll(request.headers());
        return request.withHeaders(h);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
