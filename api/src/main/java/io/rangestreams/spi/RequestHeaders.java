package io.rangestreams.spi;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * Headers made afresh for each request, such as a bearer token that expires and is refreshed: a
 * transport calls {@link #headers(URI)} once per request it sends (not per redirect hop), and the
 * redirect rules of {@link io.rangestreams.spi.support.Redirects} then apply to them, so an {@code Authorization} made here never
 * goes to another origin.
 *
 * <p>Implementations are called by many threads at once and should return quickly when nothing is to be
 * refreshed.
 */
@FunctionalInterface
public interface RequestHeaders {

    /** No headers. */
    RequestHeaders NONE = uri -> Map.of();

    /**
     * The headers for a request of {@code uri}, by name; they replace the options' fixed headers of the same
     * names, and the request's own headers replace them.
     *
     * @throws IOException if they cannot be had (the request then fails with it)
     */
    Map<String, String> headers(URI uri) throws IOException;
}
