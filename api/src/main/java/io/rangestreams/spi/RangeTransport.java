package io.rangestreams.spi;

import java.io.Closeable;
import java.io.IOException;
import java.util.Set;

/**
 * Sends one HTTP request per call and returns the response with its body streamed. The engine decides
 * which requests to send; a transport only carries them, faithfully.
 *
 * <p>Thread safety: an implementation is safe for concurrent use by many threads.
 *
 * <p>Lifecycle: {@link #close()} releases connections and is idempotent; {@link #send} after close
 * throws {@link IllegalStateException}.
 *
 * <h2>Rules (enforced by the TCK's {@code RangeTransportContract})</h2>
 * <ol>
 *   <li><b>T1</b> A {@code GET} with one range returns the server's status ({@code 206}) and a body of
 *       exactly the bytes of that range, for closed, open-ended ({@code bytes=a-}) and suffix
 *       ({@code bytes=-n}) ranges.</li>
 *   <li><b>T2</b> The {@code Range} header sent is exactly {@link RangeRequest#rangeHeader()}; a
 *       request without ranges sends none.</li>
 *   <li><b>T3</b> Status, headers and body are passed through unchanged: a {@code 416}, {@code 404},
 *       {@code 503} or {@code 200} is returned, not thrown; {@code Content-Range},
 *       {@code Content-Length}, {@code ETag} are visible.</li>
 *   <li><b>T4</b> A {@code HEAD} returns the status and headers and an empty body.</li>
 *   <li><b>T5</b> Headers of the request (e.g. {@code If-Range}, {@code Authorization}) and of the
 *       {@link TransportOptions} are sent, those of {@link TransportOptions#requestHeaders()} made afresh
 *       for every request (and, like the others, dropped on a redirect to another origin).</li>
 *   <li><b>T6</b> Every request says {@code Accept-Encoding: identity} and bodies are never decoded:
 *       the bytes are the file's bytes, even from a server that compresses when allowed.</li>
 *   <li><b>T7</b> Redirects (301, 302, 303, 307, 308) are followed up to
 *       {@link TransportOptions#maxRedirects()}; {@link RangeResponse#uri()} is the final URI; see
 *       {@link Redirects} for the rules on credentials, https to http and loops.</li>
 *   <li><b>T8</b> The body is streamed: a large range is never buffered whole.</li>
 *   <li><b>T9</b> Many threads may send at once and each gets its own exact bytes; connections are
 *       reused between sequential requests.</li>
 *   <li><b>T10</b> A server that stalls longer than the read timeout, before the headers or in the
 *       middle of the body, ends in an {@link IOException}, not a hang; a refused connection is an
 *       {@link IOException}. A transport declaring {@link Capability#PROXY} sends through the proxy of
 *       its options.</li>
 *   <li><b>T11</b> {@link #close()} is idempotent; {@link #send} after close throws
 *       {@link IllegalStateException}.</li>
 *   <li><b>T12</b> {@link #sequentialConnections()} is at least 1. A transport answering
 *       {@link #readerReadsStream()} true gives bodies that one thread may go on reading where
 *       another stopped (each read happening after the one before).</li>
 *   <li><b>T13</b> A body that is a {@link FillingBody} (optional) fills exactly the body's bytes, and
 *       one that fails returns the bytes before the failure first, then throws it at the next call.</li>
 *   <li><b>T14</b> A {@link RangeTransportProvider} of the transport's {@link #name()} is registered
 *       for {@link java.util.ServiceLoader}, and the transport it creates has that name and works.</li>
 *   <li><b>T15</b> No more exchanges run at once to one host than
 *       {@link TransportOptions#maxConnections()}; the next waits for one to end.</li>
 *   <li><b>T16</b> Over https, the certificates of {@link TransportOptions#trust()} are trusted (a
 *       self-signed one, given as trust, answers); a certificate not trusted ends in an {@link IOException}
 *       of one line naming the host and port ({@link TlsTrust#failure}). The whole contract also runs
 *       over https.</li>
 * </ol>
 */
public interface RangeTransport extends Closeable {

    /** Optional abilities a transport may declare; the TCK skips the rules of those it does not. */
    enum Capability {
        /** Sends through an HTTP proxy given in {@link TransportOptions#proxy()}. */
        PROXY
    }

    /** The transport's name, as its provider's ({@code jdk}, {@code okhttp}, {@code apache}). */
    String name();

    /**
     * Sends the request, following redirects, and returns the response with its body unread.
     *
     * @throws IOException if no response could be had (connection refused, timeout, bad redirect)
     * @throws IllegalStateException if the transport is closed
     */
    RangeResponse send(RangeRequest request) throws IOException;

    /** The optional abilities this transport has. */
    default Set<Capability> capabilities() {
        return Set.of();
    }

    /**
     * How many connections a long sequential read through this transport should keep busy at once, a
     * hint for the engine's streaming readahead. 1 by default: one streamed request at a time, the
     * next started a window before it ends. A transport whose one body stream cannot keep up with the
     * network on one thread answers 2: the engine then streams requests of {@code maxRequestSize}, so
     * two connections, read by two threads on two cores, carry much of the read. (More than 2 is taken
     * as 2.) OkHttp answers 2: Okio reads a body 8 KiB at a time and copies each read once more, and 1 GiB
     * from nginx went from 0.82x to 1.00x of a plain GET. The JDK transport answers 2 when it runs two
     * clients (one client reads all its connections on its one selector thread; with two, 0.72-0.85x
     * became 0.88-1.01x). Apache's classic client answers 1: two connections were not faster there.
     */
    default int sequentialConnections() {
        return 1;
    }

    /**
     * Whether a reader that has caught up with a streamed body should read that body itself, a hint
     * for the engine's streaming readahead. False by default: a background thread reads each streamed
     * body into the store and wakes the reader as bytes arrive, so the network works while the reader
     * does. A transport answers true when its body stream is read from the socket on the calling
     * thread and that hand-off costs more than it hides: the reader then reads the body on its own
     * thread, as a plain GET would (and the background thread steps back), while a reader that runs
     * behind still finds the bytes read ahead for it. Apache's classic client answers true: reading
     * 1 GiB from nginx took 0.61-0.73 s of the process's CPU instead of 0.73-1.40 s, against the plain
     * GET's 0.54-0.79 s (benchmarks/MEASUREMENTS.md). The JDK client (whose own threads read the socket:
     * no faster either way) and OkHttp (which keeps two connections busy) answer false.
     */
    default boolean readerReadsStream() {
        return false;
    }

    /** Releases connections; idempotent. */
    @Override
    void close();
}
