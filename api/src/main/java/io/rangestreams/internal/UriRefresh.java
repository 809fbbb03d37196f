package io.rangestreams.internal;

import io.rangestreams.UriRefresher;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The client's hook for expiring URIs: the refresher, if any, and the statuses that call it.
 *
 * @param refresher gives a fresh URI; absent, no status refreshes
 * @param statuses the statuses that mean the URI expired
 */
public record UriRefresh(Optional<UriRefresher> refresher, Set<Integer> statuses) {

    /** The statuses a signed URL's server answers once it expired. */
    public static final Set<Integer> DEFAULT_STATUSES = Set.of(401, 403);

    /** Validates the statuses (each from 400 to 499) and copies them. */
    public UriRefresh {
        Objects.requireNonNull(refresher, "refresher");
        statuses = Set.copyOf(statuses);
        for (int s : statuses) {
            if (s < 400 || s > 499) {
                throw new IllegalArgumentException("a URI refresh status must be a 4xx status, was " + s);
            }
        }
    }

    /** No refresher: an expired URI fails the read. */
    public static UriRefresh none() {
        return new UriRefresh(Optional.empty(), DEFAULT_STATUSES);
    }

    /** Whether {@code status} calls the refresher. */
    boolean refreshes(int status) {
        return refresher.isPresent() && statuses.contains(status);
    }
}
