package io.rangestreams.internal;

import io.rangestreams.RangeEventListener;
import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeTransport;
import java.net.URI;
import java.util.Objects;

/**
 * What every part of one stream's engine shares and never changes: the resource, the backends, the
 * options, the listener and the counters.
 *
 * @param uri the resource as opened
 * @param key its store key ({@link HttpRangeStream#canonicalKey})
 * @param current where requests go now: {@code uri} until an expired URI is refreshed
 */
record StreamContext(URI uri, String key, RangeTransport transport, RangeStore store, EngineOptions options,
        RangeEventListener events, StreamStats stats, CurrentUri current) {

    StreamContext {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(current, "current");
    }
}
