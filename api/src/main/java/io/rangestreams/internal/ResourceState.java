package io.rangestreams.internal;

import io.rangestreams.RangeSet;
import io.rangestreams.StreamBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The one lock of a stream, and what it guards: the version served ({@link #versions}), the fallback
 * buffer, the requests in flight and the readers waiting for them. Every part of the stream's engine is
 * handed this object and holds its monitor while it reads or changes any of these; requests and store
 * writes run outside it. Waiters wait on it; whoever changes what they wait for notifies it.
 */
final class ResourceState {

    /** The version served; guarded by this. */
    final VersionTracker versions;
    /** The requests running, and the streaming fetches until their readers end them; guarded by this. */
    final List<InFlight> inFlight = new ArrayList<>();
    /** What each reader waiting for shared requests waits to be held; guarded by this. */
    final List<RangeSet> awaited = new ArrayList<>();
    /** Set when the server ignores Range: the stream reads this one spooled body; guarded by this. */
    StreamBuffer fallback;
    /** The first fetch, while it teaches the length; guarded by this. */
    CompletableFuture<Void> learning;
    /** Written under this, read without it where a stale answer only costs a check later. */
    volatile boolean closed;

    ResourceState(VersionTracker versions) {
        this.versions = versions;
    }
}
