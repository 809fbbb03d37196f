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
 *       {@link io.rangestreams.spi.support.Redirects} for the rules on credentials, https to http and loops.</li>
 *   <li><b>T8</b> The body is streamed: a large range is never buffered whole.</li>
 *   <li><b>T9</b> Many threads may send at once and each gets its own exact bytes; connections are
 *       reused between sequential requests.</li>
 *   <li><b>T10</b> A server that stalls longer than the read timeout, before the headers or in the
 *       middle of the body, ends in an {@link IOException}, not a hang; a refused connection is an
 *       {@link IOException}. A transport declaring {@link Capability#PROXY} sends through the proxy of
 *       its options.</li>
 *   <li><b>T11</b> {@link #close()} is idempotent; {@link #send} after close throws
 *       {@link IllegalStateException}.</li>
 *   <li><b>T12</b> {@link #bodyReading()} is stated (not null). A transport whose bodies are read on
 *       the caller's thread ({@link BodyReading.Reader#CALLER}) gives bodies that one thread may go on
 *       reading where another stopped (each read happening after the one before).</li>
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
     * How this transport's HTTP client brings a body from the socket to its reader (T12). The default
     * states nothing ({@link BodyReading#UNKNOWN}).
     */
    default BodyReading bodyReading() {
        return BodyReading.UNKNOWN;
    }

    /** Releases connections; idempotent. */
    @Override
    void close();
}
