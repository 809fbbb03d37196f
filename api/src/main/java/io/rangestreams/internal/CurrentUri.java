package io.rangestreams.internal;

import io.rangestreams.RangeStreamException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The URI a stream's requests go to now: the one opened until a refresh gives another. One refresh
 * runs at a time and every request that failed with the URI it replaces takes its result, so many
 * requests failing at once cost one refresh. Its own small monitor guards the URI (not the stream's
 * {@link ResourceState}) because requests are prepared and re-sent without that lock.
 */
final class CurrentUri {

    private final URI opened;
    private final UriRefresh refresh;
    private final AtomicInteger refreshes = new AtomicInteger();
    private URI current; // guarded by this
    private boolean currentWorked; // guarded by this
    private CompletableFuture<URI> running; // guarded by this

    CurrentUri(URI opened, UriRefresh refresh) {
        this.opened = opened;
        this.refresh = refresh;
        this.current = opened;
    }

    /** The URI to send requests to. */
    synchronized URI get() {
        return current;
    }

    /** Notes that a request to {@code uri} got an answer other than an expiry. */
    synchronized void worked(URI uri) {
        if (uri.equals(current)) {
            currentWorked = true;
        }
    }

    /** Whether {@code uri} is the current URI and no request to it got an answer other than an expiry. */
    synchronized boolean neverWorked(URI uri) {
        return uri.equals(current) && !currentWorked;
    }

    /** Whether a response with {@code status} means the URI expired and a refresher can replace it. */
    boolean expiredBy(int status) {
        return refresh.refreshes(status);
    }

    /** How many times the refresher was called. */
    int refreshes() {
        return refreshes.get();
    }

    /**
     * The URI to use after {@code failed} was answered {@code status}: the current one when another
     * request already replaced {@code failed}, else the result of the refresh running or started now.
     *
     * @throws RangeStreamException if the refresher failed or gave no usable URI
     */
    URI replace(URI failed, int status) throws IOException {
        CompletableFuture<URI> wait;
        boolean mine = false;
        synchronized (this) {
            if (!current.equals(failed)) {
                return current;
            }
            if (running == null) {
                running = new CompletableFuture<>();
                mine = true;
            }
            wait = running;
        }
        if (mine) {
            refreshNow(failed, status, wait);
        }
        try {
            return wait.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the URI of " + opened + " was refreshed");
        } catch (ExecutionException e) {
            throw (RangeStreamException) e.getCause();
        }
    }

    private void refreshNow(URI failed, int status, CompletableFuture<URI> result) {
        refreshes.incrementAndGet();
        URI fresh = null;
        RangeStreamException error = null;
        try {
            fresh = refresh.refresher().orElseThrow().refresh(failed, status);
            if (fresh == null || !fresh.isAbsolute()
                    || !("http".equalsIgnoreCase(fresh.getScheme()) || "https".equalsIgnoreCase(fresh.getScheme()))) {
                error = new RangeStreamException("the URI refresher for " + opened + " gave " + fresh
                        + " after " + status + "; it must give an absolute http or https URI");
            }
        } catch (IOException | RuntimeException e) {
            error = new RangeStreamException("refreshing the URI of " + opened + " after " + status + " failed: " + e,
                    e);
        }
        synchronized (this) {
            running = null;
            if (error == null) {
                current = fresh;
                currentWorked = false;
            }
        }
        if (error == null) {
            result.complete(fresh);
        } else {
            result.completeExceptionally(error);
        }
    }
}
