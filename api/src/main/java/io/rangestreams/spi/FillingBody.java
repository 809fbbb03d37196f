package io.rangestreams.spi;

import java.io.IOException;

/**
 * A response body ({@link RangeResponse#body()}) that can fill a whole array in one wait. Optional: a
 * transport whose HTTP client reads the socket on a thread of its own gives bodies that implement it,
 * so that the engine, which fills the store a chunk at a time, is woken once per chunk
 * instead of once per network read. Read by read, the client's thread must wake the reader for every
 * buffer it receives; filling, it copies each buffer into the array itself and wakes the reader only
 * when the array is full. The engine reads other bodies with {@link java.io.InputStream#read(byte[], int, int)}.
 *
 * <p>Thread safety: as the body's other reads, one thread at a time.
 *
 * <p>Rule <b>T13</b> (enforced by the TCK's {@code RangeTransportContract}): {@code fill} gives exactly
 * the body's bytes, mixed in any order with the stream's other reads; a body that fails (cut short,
 * reset, stalled past the read timeout) first returns the bytes that came before the failure, and the
 * next call throws it, so that the engine keeps those bytes and asks only for the rest.
 */
public interface FillingBody {

    /**
     * Reads {@code len} bytes into {@code b} from {@code off}, waiting for as long as they take to arrive
     * (each wait for the next bytes bounded by the transport's read timeout).
     *
     * @return {@code len}; fewer at the end of the body, or when the body failed after the bytes
     *     returned (the next call then throws that failure); -1 at the end of the body when no byte was
     *     read; 0 only when {@code len} is 0
     * @throws IOException if the body failed, timed out or was closed before any byte of this call
     * @throws IndexOutOfBoundsException if {@code off} and {@code len} do not fit {@code b}
     */
    int fill(byte[] b, int off, int len) throws IOException;
}
