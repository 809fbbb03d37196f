package io.rangestreams.internal;

import io.rangestreams.Range;
import io.rangestreams.spi.ResourceVersion;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one checked response means to the engine. Results that keep a body ({@link Partial},
 * {@link WholeBody}, {@link Headers}, {@link NotModified}) hand over their {@link SentRequest}, which the
 * receiver closes; the others have closed theirs.
 */
sealed interface ExchangeResult {

    /**
     * A {@code 206} whose {@code Content-Range} and {@code Content-Length} are the asked range (clipped at
     * the end), identity-encoded.
     *
     * @param range the bytes the body holds
     * @param version the version the response shows
     */
    record Partial(SentRequest sent, Range range, ResourceVersion version) implements ExchangeResult {}

    /**
     * A {@code 200} with the whole body, identity-encoded: the resource changed (an {@code If-Range}
     * failed) or the server ignores {@code Range}.
     *
     * @param version the version it shows, when it states its length
     */
    record WholeBody(SentRequest sent, Optional<ResourceVersion> version) implements ExchangeResult {}

    /**
     * A {@code 200} to a {@code HEAD}.
     *
     * @param version the version it shows, when it states an identity-encoded length
     * @param rangesHonoured false when it says {@code Accept-Ranges: none}
     */
    record Headers(SentRequest sent, Optional<ResourceVersion> version, boolean rangesHonoured)
            implements ExchangeResult {}

    /** A {@code 304}: the held version is the server's. */
    record NotModified(SentRequest sent) implements ExchangeResult {}

    /** A {@code 416}, with the length its {@code Content-Range} states, if any. */
    record NotSatisfiable(OptionalLong length) implements ExchangeResult {}

    /**
     * A {@code 429} or {@code 5xx}: worth sending again.
     *
     * @param retryAfter what its {@code Retry-After} asks for, if anything
     */
    record RetryLater(int status, Optional<Duration> retryAfter) implements ExchangeResult {}

    /** Any other status. */
    record Failed(int status) implements ExchangeResult {}
}
