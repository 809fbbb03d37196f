package io.rangestreams.spi;

import java.io.IOException;
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
 * @param maxConnections the most connections kept open to one host (over HTTP/2, the most requests in
 *     flight on its one connection)
 * @param maxRedirects the most redirects followed for one request
 * @param trust the certificates trusted over https, if not the JVM's default ones
 * @param requestHeaders headers made afresh for every request (a refreshing bearer token)
 * @param proxyAuthorization the {@code Proxy-Authorization} value sent to the {@link #proxy()} (never to
 *     an origin server), if any
 * @param httpVersion the HTTP version to ask for
 */
public record TransportOptions(Duration connectTimeout, Duration readTimeout, Map<String, String> headers,
        Optional<InetSocketAddress> proxy, int maxConnections, int maxRedirects, Optional<TlsTrust> trust,
        RequestHeaders requestHeaders, Optional<String> proxyAuthorization, HttpVersion httpVersion) {

    /** The default user agent. */
    public static final String USER_AGENT = "range-streams-java/0.1";

    /** The HTTP version a transport asks for. */
    public enum HttpVersion {
        /** HTTP/1.1 always, one request per connection at a time. */
        HTTP_1_1,
        /**
         * HTTP/2 where the server agrees to it during the TLS handshake (ALPN), so that parallel requests
         * to one host share one connection; HTTP/1.1 otherwise, and always over plain http. A transport
         * whose client cannot speak HTTP/2 uses HTTP/1.1.
         */
        HTTP_2
    }

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
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(requestHeaders, "requestHeaders");
        Objects.requireNonNull(proxyAuthorization, "proxyAuthorization");
        if (proxyAuthorization.isPresent() && proxyAuthorization.get().chars().anyMatch(c -> c == '\r' || c == '\n')) {
            throw new IllegalArgumentException("proxyAuthorization must be one line");
        }
        Objects.requireNonNull(httpVersion, "httpVersion");
    }

    /** The options as they were before TLS trust, request headers, proxy credentials and HTTP/2 (defaults for those). */
    public TransportOptions(Duration connectTimeout, Duration readTimeout, Map<String, String> headers,
            Optional<InetSocketAddress> proxy, int maxConnections, int maxRedirects) {
        this(connectTimeout, readTimeout, headers, proxy, maxConnections, maxRedirects, Optional.empty(),
                RequestHeaders.NONE, Optional.empty(), HttpVersion.HTTP_2);
    }

    /**
     * Connect 10 s, read 30 s, no extra headers, no proxy, 16 connections, 10 redirects, the JVM's trusted
     * certificates, HTTP/2 where the server offers it over TLS.
     */
    public static TransportOptions defaults() {
        return new TransportOptions(Duration.ofSeconds(10), Duration.ofSeconds(30), Map.of(), Optional.empty(), 16, 10);
    }

    /** These options with another connect timeout. */
    public TransportOptions withConnectTimeout(Duration timeout) {
        return new TransportOptions(timeout, readTimeout, headers, proxy, maxConnections, maxRedirects, trust,
                requestHeaders, proxyAuthorization, httpVersion);
    }

    /** These options with another read timeout. */
    public TransportOptions withReadTimeout(Duration timeout) {
        return new TransportOptions(connectTimeout, timeout, headers, proxy, maxConnections, maxRedirects, trust,
                requestHeaders, proxyAuthorization, httpVersion);
    }

    /** These options with one more header sent on every request. */
    public TransportOptions withHeader(String name, String value) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        h.put(name, value);
        return new TransportOptions(connectTimeout, readTimeout, h, proxy, maxConnections, maxRedirects, trust,
                requestHeaders, proxyAuthorization, httpVersion);
    }

    /** These options with requests sent through an HTTP proxy. */
    public TransportOptions withProxy(InetSocketAddress address) {
        return new TransportOptions(connectTimeout, readTimeout, headers, Optional.of(address), maxConnections,
                maxRedirects, trust, requestHeaders, proxyAuthorization, httpVersion);
    }

    /**
     * These options with a {@code Proxy-Authorization} value (such as {@code Basic dXNlcjpwYXNz}) sent to
     * the proxy with every request, before it asks.
     */
    public TransportOptions withProxyAuthorization(String value) {
        return new TransportOptions(connectTimeout, readTimeout, headers, proxy, maxConnections, maxRedirects, trust,
                requestHeaders, Optional.of(value), httpVersion);
    }

    /** These options with another connection limit per host. */
    public TransportOptions withMaxConnections(int max) {
        return new TransportOptions(connectTimeout, readTimeout, headers, proxy, max, maxRedirects, trust,
                requestHeaders, proxyAuthorization, httpVersion);
    }

    /** These options with another redirect limit. */
    public TransportOptions withMaxRedirects(int max) {
        return new TransportOptions(connectTimeout, readTimeout, headers, proxy, maxConnections, max, trust,
                requestHeaders, proxyAuthorization, httpVersion);
    }

    /** These options trusting exactly {@code trust}'s certificates over https. */
    public TransportOptions withTrust(TlsTrust trust) {
        return new TransportOptions(connectTimeout, readTimeout, headers, proxy, maxConnections, maxRedirects,
                Optional.of(trust), requestHeaders, proxyAuthorization, httpVersion);
    }

    /** These options with headers made afresh for every request (replacing any such source set before). */
    public TransportOptions withRequestHeaders(RequestHeaders source) {
        return new TransportOptions(connectTimeout, readTimeout, headers, proxy, maxConnections, maxRedirects, trust,
                source, proxyAuthorization, httpVersion);
    }

    /** These options asking for another HTTP version. */
    public TransportOptions withHttpVersion(HttpVersion version) {
        return new TransportOptions(connectTimeout, readTimeout, headers, proxy, maxConnections, maxRedirects, trust,
                requestHeaders, proxyAuthorization, version);
    }

    /**
     * The request with the default {@code User-Agent}, these options' headers and the headers of
     * {@link #requestHeaders()} added beneath its own (the request's win).
     * {@link io.rangestreams.spi.support.Redirects#follow} applies it before following redirects, so
     * credentials from the options are stripped too when a redirect leaves the origin.
     *
     * @throws IOException if {@link #requestHeaders()} fails
     */
    public RangeRequest applyTo(RangeRequest request) throws IOException {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.put("User-Agent", USER_AGENT);
        h.putAll(headers);
        h.putAll(requestHeaders.headers(request.uri()));
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
