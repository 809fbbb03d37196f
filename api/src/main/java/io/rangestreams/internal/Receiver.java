package io.rangestreams.internal;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.RangeStreamException;
import io.rangestreams.spi.ChunkAdoption;
import io.rangestreams.spi.ResourceVersion;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Moves a response body into the store, a chunk at a time, and wakes the readers whose bytes are then
 * held. The only code that knows the store's chunk adoption ({@link ChunkAdoption}); bodies fill through {@link CountedBody}, which alone knows
 * {@link io.rangestreams.spi.FillingBody}.
 */
final class Receiver {

    /** The bytes one chunk holds: the unit of store writes and of a streamed body's reads. */
    static final int CHUNK = 256 * 1024;

    /**
     * How far one request's body got: the position after the last byte stored. Volatile: other threads
     * look at a streaming fetch's to see what it is still to bring.
     */
    static final class Cursor {
        volatile long position;

        Cursor(long position) {
            this.position = position;
        }
    }

    private final StreamContext context;
    private final ResourceState state;

    Receiver(StreamContext context, ResourceState state) {
        this.context = context;
        this.state = state;
    }

    /**
     * Streams a 206 body into the store. The last chunk is stored only after the body is seen to end
     * where it should, so a body longer than its range stores (almost) nothing.
     *
     * @return the position after the last byte stored
     */
    long receive(CountedBody in, Cursor cursor, long stop, ResourceVersion v) throws IOException {
        long start = cursor.position;
        long pos = start;
        while (pos < stop) {
            int want = (int) Math.min(CHUNK, stop - pos);
            int filled = receiveChunk(in, Range.of(start, stop), pos, want, v, cursor);
            pos += filled;
            if (filled < want) {
                return pos; // cut short: the caller resumes from here
            }
        }
        return pos;
    }

    /**
     * Reads {@code want} bytes of a body at {@code pos} into a chunk and stores it (all of it, or what
     * arrived before the body ended or failed). Its own method, called once per chunk, so the JIT
     * compiles it as soon as a few hundred chunks have passed; inside {@link #receive}, which runs once
     * per request, the loop would wait for on-stack replacement.
     *
     * @return the bytes stored: {@code want}, or fewer when the body ended
     */
    int receiveChunk(CountedBody in, Range asked, long pos, int want, ResourceVersion v, Cursor cursor)
            throws IOException {
        // The store's own array when it has one to spare: handed over filled, it is kept as is.
        byte[] chunk = newChunk(want);
        int filled = 0;
        int n;
        try {
            while (filled < want && (n = in.fill(chunk, filled, want - filled)) > 0) {
                filled += n;
            }
        } catch (IOException e) {
            // Connection lost mid-body: keep the bytes that did arrive, then let the caller resume.
            storeOwned(v, pos, chunk, filled);
            cursor.position = pos + filled;
            throw e;
        }
        if (filled == want && pos + filled == asked.stop() && in.read() != -1) {
            throw new RangeStreamException("body for range " + asked + " of " + context.uri()
                    + " is longer than the range; nothing of it kept from " + Range.of(pos, asked.stop()));
        }
        storeOwned(v, pos, chunk, filled);
        cursor.position = pos + filled;
        return filled;
    }

    /** An array for {@code want} bytes of a chunk: the store's own when it has one to spare. */
    byte[] newChunk(int want) {
        return context.store() instanceof ChunkAdoption adoption ? adoption.newChunk(want) : new byte[want];
    }

    /** Hands a filled chunk to the store (which may keep the array) and wakes readers whose bytes are now held. */
    void storeOwned(ResourceVersion v, long position, byte[] chunk, int count) throws IOException {
        if (count > 0) {
            if (context.store() instanceof ChunkAdoption adoption) {
                adoption.writeOwned(context.key(), v, position, chunk, count);
            } else {
                context.store().write(context.key(), v, position, ByteBuffer.wrap(chunk, 0, count));
            }
            synchronized (state) {
                if (awaitedHeld()) {
                    state.notifyAll();
                }
            }
        }
    }

    /** Whether a reader waiting for shared requests now holds all it waits for. Under the lock. */
    private boolean awaitedHeld() throws IOException {
        if (state.awaited.isEmpty()) {
            return false;
        }
        RangeSet held = context.store().ranges(context.key());
        for (RangeSet w : state.awaited) {
            if (held.encloses(w)) {
                return true;
            }
        }
        return false;
    }
}
