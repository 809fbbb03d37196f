package io.rangestreams.spi;

import java.util.Objects;

/**
 * How a transport's HTTP client brings a response body from the socket to whoever reads it: facts about
 * the client, from which the engine decides how to stream long reads.
 *
 * @param reader which thread reads a body from the socket
 * @param clientThreads for {@link Reader#CLIENT}: how many threads of its own the client reads sockets
 *     with (at least 1); 0 for the other readers
 * @param buffered whether each read of a body is served from the client's own buffer (filled from the
 *     socket and then copied into the caller's array), rather than read from the socket straight into
 *     the caller's array
 */
public record BodyReading(Reader reader, int clientThreads, boolean buffered) {

    /** Which thread reads a body from the socket. */
    public enum Reader {
        /** The thread that reads the body stream: a read blocks on the socket. */
        CALLER,
        /** The client's own threads, which hand the bytes to the body stream. */
        CLIENT,
        /** Not stated. */
        UNKNOWN
    }

    /** What a transport that does not say is taken to be. */
    public static final BodyReading UNKNOWN = new BodyReading(Reader.UNKNOWN, 0, false);

    /** Validates the facts, naming the bad value. */
    public BodyReading {
        Objects.requireNonNull(reader, "reader");
        if (reader == Reader.CLIENT ? clientThreads < 1 : clientThreads != 0) {
            throw new IllegalArgumentException("clientThreads must be at least 1 for a client that reads sockets on"
                    + " its own threads and 0 otherwise; was " + clientThreads + " with reader " + reader);
        }
    }

    /** The client reads bodies on the caller's thread. */
    public static BodyReading onCallerThread(boolean buffered) {
        return new BodyReading(Reader.CALLER, 0, buffered);
    }

    /** The client reads sockets on {@code threads} threads of its own. */
    public static BodyReading onClientThreads(int threads, boolean buffered) {
        return new BodyReading(Reader.CLIENT, threads, buffered);
    }
}
