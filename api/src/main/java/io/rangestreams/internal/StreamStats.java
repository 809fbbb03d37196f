package io.rangestreams.internal;

import java.util.concurrent.atomic.LongAdder;

/** A stream's counters: requests sent, body bytes received, bytes served from the store. */
final class StreamStats {

    private final LongAdder requests = new LongAdder();
    private final LongAdder fetched = new LongAdder();
    private final LongAdder fromStore = new LongAdder();

    void addRequest() {
        requests.increment();
    }

    void addFetched(long bytes) {
        fetched.add(bytes);
    }

    void addFromStore(long bytes) {
        fromStore.add(bytes);
    }

    long requests() {
        return requests.sum();
    }

    long fetched() {
        return fetched.sum();
    }

    long fromStore() {
        return fromStore.sum();
    }
}
