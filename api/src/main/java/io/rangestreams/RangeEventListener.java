package io.rangestreams;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Sees what a {@link RangeClient}'s streams do, in the manner of OkHttp's {@code EventListener}: each
 * request's start and end, retries, revalidations, reads served from the store, version changes and the
 * fallback for servers that ignore {@code Range}. Metrics, logging and the command line's
 * {@code --stats} and {@code --verbose} are built on it.
 *
 * <p>Every method has an empty default, so a listener overrides only what it needs. Methods are called
 * on the thread doing the work, often several at once: an implementation is thread-safe and quick, and
 * must not throw (what it throws is logged and ignored).
 */
public interface RangeEventListener {

    /** A listener that does nothing. */
    RangeEventListener NONE = new RangeEventListener() {};

    /**
     * One request as the engine sent it.
     *
     * @param uri the resource's URI as opened (not the final URI after redirects)
     * @param method {@code GET} or {@code HEAD}
     * @param range the {@code Range} header sent, or the empty string for none
     * @param transport the transport's name
     * @param purpose why it was sent: {@code fetch} (bytes a caller asked for), {@code readahead} (bytes
     *     fetched ahead of a sequential reader), {@code probe} (the length, by {@code HEAD} or a first
     *     block), {@code suffix} (bytes counted from the end, before the length is known), {@code validate}
     *     (a check of held bytes), {@code resume} (the rest of a body cut short); a request sent again
     *     after an error keeps its purpose
     */
    record Request(URI uri, String method, String range, String transport, String purpose) {
        public Request {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(range, "range");
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(purpose, "purpose");
        }
    }

    /** A request is about to be sent. */
    default void requestStart(Request request) {}

    /**
     * A request's response was received and its body read as far as the engine read it. The body a
     * stream reads through its {@linkplain #fallback fallback} ends when the stream is closed.
     *
     * @param status the HTTP status
     * @param bodyBytes body bytes received, counting any the engine read and then discarded
     * @param elapsed from {@link #requestStart} to the end of the body
     */
    default void requestEnd(Request request, int status, long bodyBytes, Duration elapsed) {}

    /**
     * A request failed: no response, or a body cut short.
     *
     * @param bodyBytes body bytes received before the failure
     */
    default void requestFailed(Request request, IOException failure, long bodyBytes, Duration elapsed) {}

    /**
     * A request will be sent again, or resumed from the last byte received, after {@code delay}.
     *
     * @param attempt the attempt about to start, from 2
     * @param reason what went wrong (a status such as {@code 503}, or a cut body)
     */
    default void retry(Request request, int attempt, String reason, Duration delay) {}

    /**
     * Held bytes were validated against the server: after a conditional {@code HEAD} has ended, or as
     * soon as a ranged response's validator is seen (before its body is read).
     *
     * @param unchanged true when the server confirmed the held version (a {@code 304}, or a matching
     *     validator)
     */
    default void revalidated(URI uri, boolean unchanged) {}

    /** Bytes were served to a caller from the store, without a request. */
    default void servedFromStore(URI uri, long bytes) {}

    /**
     * The remote file changed: held bytes of the old version were dropped.
     *
     * @param before the old version's validator, as the server gave it
     * @param after the new version's validator
     */
    default void versionChanged(URI uri, String before, String after) {}

    /**
     * The server ignored {@code Range} (answered {@code 200} with the whole body): the stream reads
     * the body once, spooled, instead of by ranges.
     */
    default void fallback(URI uri, int status) {}

    /** A listener that tells each of {@code listeners}, in order. */
    static RangeEventListener all(List<RangeEventListener> listeners) {
        List<RangeEventListener> copy = List.copyOf(listeners);
        // Even one listener goes through the composite, which keeps what it throws from the engine.
        return copy.isEmpty() ? NONE : new RangeEventListeners(copy);
    }
}
