package io.rangestreams.transport.jdk;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The body buffers a {@link TimedBodySubscriber} has received and its reader not yet read, in order. The
 * client's thread adds and the reader takes under the subscriber's lock; the reader then copies what it
 * took outside the lock (a copy of 128 KiB under it would keep the client's thread waiting), with
 * {@link #copyTaken}, which only the reading thread calls.
 */
final class ReceivedBuffers {

    private final ArrayDeque<ByteBuffer> received = new ArrayDeque<>();
    private long bytes;
    /** Buffers taken by the reading thread, to copy out of outside the lock; only that thread uses it. */
    private final ArrayDeque<ByteBuffer> taking = new ArrayDeque<>();

    /** The bytes received and not yet taken. */
    long bytes() {
        return bytes;
    }

    /** Adds what is left of {@code b}, if anything. */
    void add(ByteBuffer b) {
        if (b.hasRemaining()) {
            received.add(b);
            bytes += b.remaining();
        }
    }

    /** Moves up to {@code len} received bytes aside for {@link #copyTaken}; returns how many. */
    int take(int len) {
        int n = 0;
        while (n < len && !received.isEmpty()) {
            ByteBuffer head = received.peek();
            int k = Math.min(head.remaining(), len - n);
            if (k == head.remaining()) {
                taking.add(received.poll());
            } else {
                taking.add(head.slice(head.position(), k));
                head.position(head.position() + k);
            }
            n += k;
        }
        bytes -= n;
        return n;
    }

    /** Copies the buffers {@link #take} moved aside into {@code b} from {@code off}, in order. */
    void copyTaken(byte[] b, int off) {
        for (ByteBuffer t; (t = taking.poll()) != null; ) {
            int k = t.remaining();
            t.get(b, off, k);
            off += k;
        }
    }

    /** Drops what was received and not taken. */
    void clear() {
        received.clear();
        bytes = 0;
    }
}
