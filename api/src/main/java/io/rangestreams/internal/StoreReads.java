package io.rangestreams.internal;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.RangeStreamException;
import io.rangestreams.StreamBuffer;
import io.rangestreams.spi.ResourceVersion;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Serves reads: copies held bytes from the store (or the fallback's buffer) into the caller's buffer,
 * after making sure they are held. Bytes evicted between the fetch and the copy are fetched again; bytes
 * of two versions never mix (a copy that saw the version change starts over).
 */
final class StoreReads {

    private static final Log LOG = Log.of(StoreReads.class);
    private static final int DIRECT_AFTER_STALLS = 4;

    private final StreamContext context;
    private final ResourceState state;
    private final SingleFlight flights;
    private final ResumingFetch fetch;
    private final Exchange exchange;
    private final Receiver receiver;
    private final VersionSync versions;

    StoreReads(StreamContext context, ResourceState state, SingleFlight flights, ResumingFetch fetch,
            Exchange exchange, Receiver receiver, VersionSync versions) {
        this.context = context;
        this.state = state;
        this.flights = flights;
        this.fetch = fetch;
        this.exchange = exchange;
        this.receiver = receiver;
        this.versions = versions;
    }

    /**
     * Copies held bytes from {@code pos} into {@code dst}, up to buffer position {@code upTo} (or its
     * limit), stopping at the first byte not held.
     *
     * @return the position after the last byte copied
     */
    long copyFromStore(long pos, long upTo, ByteBuffer dst) throws IOException {
        int limit = dst.limit();
        dst.limit((int) Math.min(limit, upTo));
        try {
            int n;
            while (dst.hasRemaining() && (n = context.store().read(context.key(), pos, dst)) > 0) {
                pos += n;
            }
        } finally {
            dst.limit(limit);
        }
        return pos;
    }

    /** Counts bytes served to a caller from the store, and tells the listener. */
    void servedFromStore(long bytes) {
        if (bytes > 0) {
            context.stats().addFromStore(bytes);
            context.events().servedFromStore(context.uri(), bytes);
        }
    }

    /**
     * Copies {@code wanted} into {@code dst} after making sure {@code fetchRange} (which contains it) is
     * held. {@code justFetched} says the caller fetched the bytes itself (a suffix read that taught the
     * length), so none of them counts as served from the store.
     */
    int copy(Range wanted, Range fetchRange, ByteBuffer dst, boolean justFetched) throws IOException {
        int startPosition = dst.position();
        int limit = dst.limit();
        long heldBefore = justFetched ? 0 : heldBytes(wanted);
        long pos = wanted.start();
        long copiedGeneration = Long.MIN_VALUE; // the version the bytes copied so far belong to
        int stalls = 0; // rounds in a row in which other readers evicted the bytes before they were copied
        for (int round = 0; round < SingleFlight.MAX_ROUNDS; round++) {
            if (stalls >= DIRECT_AFTER_STALLS && copiedGeneration != Long.MIN_VALUE) {
                // A store too small for this many readers: take the rest straight from the network.
                ResourceVersion known;
                synchronized (state) {
                    known = state.versions.versionOrNull();
                }
                dst.limit((int) Math.min(limit, startPosition + wanted.length()));
                try {
                    pos = readDirect(Range.of(pos, wanted.stop()), known, dst);
                } finally {
                    dst.limit(limit);
                }
                synchronized (state) {
                    if (copiedGeneration == state.versions.generation() && pos == wanted.stop()) {
                        servedFromStore(Math.min(heldBefore, wanted.length()));
                        return (int) wanted.length();
                    }
                }
                copiedGeneration = Long.MIN_VALUE;
                stalls = 0;
                fetchRange = wanted;
                continue;
            }
            long gen = flights.ensure(RangeSet.of(fetchRange), false);
            StreamBuffer buffer;
            synchronized (state) {
                buffer = state.fallback;
            }
            if (buffer != null) {
                dst.position(startPosition);
                return Fallback.copy(buffer, wanted, dst);
            }
            if (gen != copiedGeneration) {
                pos = wanted.start();
                dst.position(startPosition);
                copiedGeneration = gen;
            }
            long before = pos;
            pos = copyFromStore(pos, startPosition + wanted.length(), dst); // short if evicted since ensure()
            synchronized (state) {
                if (gen != state.versions.generation()) {
                    copiedGeneration = Long.MIN_VALUE; // changed while copying: start over
                    fetchRange = wanted;
                    continue;
                }
            }
            if (pos == wanted.stop()) {
                servedFromStore(Math.min(heldBefore, pos - wanted.start()));
                return (int) (pos - wanted.start());
            }
            stalls = pos == before ? stalls + 1 : 0;
            LOG.debug("bytes of {0} from {1} were evicted before they were read; fetching them again",
                    wanted, pos);
            fetchRange = Range.of(pos, wanted.stop());
        }
        throw new RangeStreamException("could not hold " + wanted + " of " + context.uri() + " in store "
                + context.store().name() + " long enough to read it; the store's limit is too small for this read");
    }

    /**
     * Reads {@code r} straight from the network into {@code dst} (and the store), for a reader whose
     * bytes other readers keep evicting from a small store. The response is checked as every other.
     *
     * @return the position after the last byte copied
     */
    private long readDirect(Range r, ResourceVersion known, ByteBuffer dst) throws IOException {
        LOG.debug("GET {0} {1} straight into the reader's buffer", context.uri(), r);
        ExchangeResult result = fetch.send(exchange.get(r, Optional.ofNullable(known), "fetch"));
        if (!(result instanceof ExchangeResult.Partial partial)) {
            if (result instanceof ExchangeResult.WholeBody whole) {
                whole.sent().close();
            }
            return r.start(); // a change or an odd answer: the caller starts over through the store
        }
        try (SentRequest sent = partial.sent()) {
            try {
                ResourceVersion v = partial.version();
                versions.learn(v, sent.response(), true);
                long stop = Math.min(r.stop(), v.length());
                byte[] bytes = sent.body().readNBytes((int) (stop - r.start()));
                if (bytes.length < stop - r.start()) {
                    sent.failed(new EOFException("body of " + r + " of " + context.uri() + " ended after "
                            + bytes.length + " bytes"));
                }
                dst.put(bytes, 0, Math.min(bytes.length, dst.remaining()));
                receiver.storeOwned(v, r.start(), bytes, bytes.length); // after the copy: the store may keep the array
                return r.start() + bytes.length;
            } catch (IOException e) {
                sent.failed(e);
                throw e;
            }
        }
    }

    /** How many bytes of {@code r} are held now. */
    long heldBytes(Range r) throws IOException {
        synchronized (state) {
            if (state.fallback != null) {
                return Math.max(0, Math.min(r.stop(), state.fallback.available()) - r.start());
            }
        }
        RangeSet held = context.store().ranges(context.key());
        return held.encloses(r) ? r.length() : held.intersect(r).totalLength();
    }
}
