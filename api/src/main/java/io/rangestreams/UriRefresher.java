package io.rangestreams;

import java.io.IOException;
import java.net.URI;

/**
 * Gives a fresh URI for a resource whose URI stopped working, such as an expiring signed URL that the
 * server now answers with {@code 401} or {@code 403}. Set on the client with
 * {@link RangeClient.Builder#uriRefresher(UriRefresher)}; one refresh is shared by every request of a
 * stream that failed with the same URI, and the stream then resumes from its last byte received at the
 * fresh URI, under the version it already serves.
 */
@FunctionalInterface
public interface UriRefresher {

    /**
     * Returns the URI to use instead of {@code expired}.
     *
     * @param expired the URI the server refused
     * @param status the status it answered
     * @return the fresh URI, absolute http or https
     * @throws IOException if no fresh URI can be had; the read that needed it fails with this error
     */
    URI refresh(URI expired, int status) throws IOException;
}
