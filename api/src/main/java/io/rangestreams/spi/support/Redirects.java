package io.rangestreams.spi.support;

import io.rangestreams.RangeStreamException;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.TransportOptions;
import java.io.IOException;
import java.net.URI;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The redirect rules every transport follows, for one request and its chain of redirects. Transports
 * turn off their client's own redirect handling and loop:
 *
 * <pre>{@code
 * Redirects redirects = new Redirects(request, options.maxRedirects());
 * while (true) {
 *     RangeResponse response = execute(redirects.current());
 *     Optional<RangeRequest> next = redirects.next(response.status(), response.header("Location"));
 *     if (next.isEmpty()) return response;
 *     response.close();
 * }
 * }</pre>
 *
 * <ul>
 *   <li>301, 302, 303, 307 and 308 are followed; 303 turns a {@code GET} into a {@code GET} without
 *       changing anything else (a {@code HEAD} stays a {@code HEAD}); the range is kept.</li>
 *   <li>{@code Authorization}, {@code Proxy-Authorization} and {@code Cookie} are dropped when the
 *       target is another origin (scheme, host, port).</li>
 *   <li>A redirect from {@code https} to {@code http} is refused with an error.</li>
 *   <li>More than {@code maxRedirects} hops, or a URI seen twice in the chain, is an error.</li>
 * </ul>
 *
 * <p>Not thread-safe: one instance follows one request.
 */
public final class Redirects {

    private static final Set<String> CREDENTIALS = Set.of("authorization", "proxy-authorization", "cookie");

    private final RangeRequest original;
    private final int maxRedirects;
    private final Set<URI> seen = new HashSet<>();
    private RangeRequest current;
    private int hops;

    /** Follows redirects of {@code request}, at most {@code maxRedirects} of them. */
    public Redirects(RangeRequest request, int maxRedirects) {
        this.original = Objects.requireNonNull(request, "request");
        this.current = request;
        this.maxRedirects = maxRedirects;
        seen.add(request.uri().normalize());
    }

    /** One HTTP exchange of a transport: sends exactly the request given and follows nothing. */
    @FunctionalInterface
    public interface Exchange {
        /** Sends {@code request} and returns the response as it came. */
        RangeResponse send(RangeRequest request) throws IOException;
    }

    /**
     * Sends {@code request}, with the options' user agent and headers, through {@code exchange},
     * following at most {@code options.maxRedirects()} redirects by the rules above: what every
     * transport's {@code send} does. The options' headers join the request first, so credentials
     * among them are stripped cross-origin too. Each redirect's response is closed before the next
     * hop; a response that breaks a rule is closed before the error is thrown.
     *
     * @return the first response that is not a redirect to follow
     */
    public static RangeResponse follow(TransportOptions options, RangeRequest request, Exchange exchange)
            throws IOException {
        Redirects redirects = new Redirects(options.applyTo(request), options.maxRedirects());
        while (true) {
            RangeResponse response = exchange.send(redirects.current());
            Optional<RangeRequest> next;
            try {
                next = redirects.next(response.status(), response.header("Location"));
            } catch (IOException | RuntimeException e) {
                response.close();
                throw e;
            }
            if (next.isEmpty()) {
                return response;
            }
            response.close();
        }
    }

    /** Whether the status is a redirect this library follows. */
    public static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** The request to send now: the original, or where the last redirect pointed. */
    public RangeRequest current() {
        return current;
    }

    /**
     * The request to send next, if the response is a redirect.
     *
     * @param status the response's status
     * @param location its {@code Location} header
     * @return the next request, or empty when the response is final
     * @throws RangeStreamException for a redirect without a usable {@code Location}, from https to
     *     http, in a loop, or past the limit
     */
    public Optional<RangeRequest> next(int status, Optional<String> location) throws RangeStreamException {
        if (!isRedirect(status)) {
            return Optional.empty();
        }
        URI from = current.uri();
        if (location.isEmpty() || location.get().isBlank()) {
            throw new RangeStreamException("redirect " + status + " from " + from + " has no Location header");
        }
        URI target;
        try {
            target = from.resolve(location.get().trim());
        } catch (IllegalArgumentException e) {
            throw new RangeStreamException("redirect " + status + " from " + from + " has an invalid Location: "
                    + location.get(), e);
        }
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new RangeStreamException("redirect from " + from + " to unsupported URI " + target);
        }
        if (from.getScheme().equalsIgnoreCase("https") && scheme.equals("http")) {
            throw new RangeStreamException("refusing redirect from https to http: " + from + " -> " + target);
        }
        hops++;
        if (hops > maxRedirects) {
            throw new RangeStreamException("too many redirects (more than " + maxRedirects + ") for "
                    + original.uri() + ", last to " + target);
        }
        if (!seen.add(target.normalize())) {
            throw new RangeStreamException("redirect loop for " + original.uri() + ": " + target
                    + " was already visited");
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(current.headers());
        if (!sameOrigin(original.uri(), target)) {
            headers.keySet().removeIf(name -> CREDENTIALS.contains(name.toLowerCase(Locale.ROOT)));
        }
        current = current.redirectedTo(target, current.method(), headers);
        return Optional.of(current);
    }

    /** Whether credentials for {@code original} may be sent to {@code target}. */
    public static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        if (u.getPort() != -1) {
            return u.getPort();
        }
        return u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }
}
