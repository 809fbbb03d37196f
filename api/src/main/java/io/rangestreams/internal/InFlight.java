package io.rangestreams.internal;

import io.rangestreams.Range;
import io.rangestreams.spi.ResourceVersion;
import java.util.concurrent.CompletableFuture;

/**
 * A range being fetched, and the future that completes when it is held (or failed). A streaming fetch
 * (see {@link StreamingReadahead}) asks the server for everything up to {@code requestStop} but promises
 * only {@link #range()}, which its reader extends as it advances. Mutable fields are guarded by the
 * stream's {@link ResourceState}.
 */
final class InFlight {

    /** Who reads a streaming fetch's body. */
    enum Phase {
        /** Its fetching thread reads it, as far as readers have asked. */
        FETCHING,
        /** A reader asked to read it itself; the fetching thread steps back at its next chunk. */
        READER_ASKED,
        /** Handed over: whichever reader needs its bytes reads it, one at a time; none does now. */
        HANDED_OVER,
        /** Handed over, and a reader reads a chunk of it now. */
        READING,
        /** It takes no more promises: given up, ended, or read to its end. */
        STOPPED
    }

    /** The response of a streaming fetch, read one chunk at a time by whichever thread holds it. */
    record StreamBody(SentRequest sent, Range asked, ResourceVersion version, long generation, Receiver.Cursor cursor) {}

    private volatile Range range; // only a streaming fetch's grows, under the lock
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    final boolean streaming;
    final long requestStop;
    final String purpose; // fetch or readahead, as the request events say
    Phase phase = Phase.FETCHING; // a streaming fetch's; under the lock
    StreamBody body; // a streaming fetch's, once its response has come; under the lock
    long lastRead; // System.nanoTime() when a reader last read a chunk of it, or it was handed over

    InFlight(Range range, String purpose) {
        this(range, false, range.stop(), purpose);
    }

    InFlight(Range range, boolean streaming, long requestStop, String purpose) {
        this.range = range;
        this.streaming = streaming;
        this.requestStop = requestStop;
        this.purpose = purpose;
    }

    Range range() {
        return range;
    }

    /** Moves the promised range (a streaming fetch's); under the lock. */
    void promise(Range promised) {
        this.range = promised;
    }

    CompletableFuture<Void> done() {
        return done;
    }

    /** Whether a reader asked to read it, or reads it (READER_ASKED, HANDED_OVER, READING). */
    boolean readerDriven() {
        return phase == Phase.READER_ASKED || phase == Phase.HANDED_OVER || phase == Phase.READING;
    }

    /**
     * The bytes it is still to bring: its range, less what a streaming fetch has read of its body already
     * (stored, or evicted since; it brings neither again). Under the lock.
     */
    Range brings() {
        Range r = range;
        if (body == null) {
            return r;
        }
        long from = Math.min(r.stop(), Math.max(r.start(), body.cursor().position));
        return Range.of(from, r.stop());
    }
}
