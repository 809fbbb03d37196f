package io.rangestreams.internal;

import io.rangestreams.Range;
import io.rangestreams.spi.ResourceVersion;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one checked response means to the engine. Results that keep a body ({@link Partial},
 * {@link Multipart}, {@link WholeBody}, {@link Headers}, {@link NotModified}) hand over their {@link SentRequest}, which the
 * receiver closes; the others have closed theirs.
 */
sealed interface ExchangeResult {

    /** The HTTP status the result stands for. */
    int status();

    /**
     * A {@code 206} whose {@code Content-Range} and {@code Content-Length} are the asked range (clipped at
     * the end), identity-encoded. To a request for several ranges, one the server sent as a single range
     * (its {@code Content-Range} and {@code Content-Length} agree, but it is not checked against the asked
     * ranges: {@link MultiRangeFetch} does that).
     *
     * @param range the bytes the body holds
     * @param version the version the response shows
     */
    record Partial(SentRequest sent, Range range, ResourceVersion version) implements ExchangeResult {
        @Override
        public int status() {
            return 206;
        }
    }

    /**
     * A {@code 206} to a request for several ranges, with a {@code multipart/byteranges} body, identity-encoded.
     * Its parts are not checked yet: {@link MultiRangeFetch} checks each as it reads it.
     *
     * @param boundary the boundary its {@code Content-Type} names, if it names a valid one
     */
    record Multipart(SentRequest sent, Optional<String> boundary) implements ExchangeResult {
        @Override
        public int status() {
            return 206;
        }
    }

    /**
     * A {@code 200} with the whole body, identity-encoded: the resource changed (an {@code If-Range}
     * failed) or the server ignores {@code Range}.
     *
     * @param version the version it shows, when it states its length
     */
    record WholeBody(SentRequest sent, Optional<ResourceVersion> version) implements ExchangeResult {
        @Override
        public int status() {
            return 200;
        }
    }

    /**
     * A {@code 200} to a {@code HEAD}.
     *
     * @param version the version it shows, when it states an identity-encoded length
     * @param rangesHonoured false when it says {@code Accept-Ranges: none}
     */
    record Headers(SentRequest sent, Optional<ResourceVersion> version, boolean rangesHonoured)
            implements ExchangeResult {
        @Override
        public int status() {
            return 200;
        }
    }

    /** A {@code 304}: the held version is the server's. */
    record NotModified(SentRequest sent) implements ExchangeResult {
        @Override
        public int status() {
            return 304;
        }
    }

    /** A {@code 416}, with the length its {@code Content-Range} states, if any. */
    record NotSatisfiable(OptionalLong length) implements ExchangeResult {
        @Override
        public int status() {
            return 416;
        }
    }

    /**
     * A {@code 429} or {@code 5xx}: worth sending again.
     *
     * @param retryAfter what its {@code Retry-After} asks for, if anything
     */
    record RetryLater(int status, Optional<Duration> retryAfter) implements ExchangeResult {}

    /** Any other status. */
    record Failed(int status) implements ExchangeResult {}
}
