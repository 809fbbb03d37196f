package io.rangestreams.internal;

import io.rangestreams.Range;
import io.rangestreams.RangeEventListener;
import io.rangestreams.RangeStreamException;
import io.rangestreams.spi.ContentRange;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.ResourceVersion;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The only caller of {@link io.rangestreams.spi.RangeTransport#send}: adds the validators a request needs,
 * sends it (counted, with its events, see {@link SentRequest}), and turns the response into a checked
 * {@link ExchangeResult}. A response that breaks the protocol (a wrong {@code Content-Range}, a length that
 * disagrees, an encoding other than identity) is an error naming what came; no bytes of it are kept.
 */
final class Exchange {

    /**
     * A request ready to go, and the event that describes it (also to the retry events, should it fail
     * before any response).
     *
     * @param asked the bytes asked for, resolved; empty for a {@code HEAD}; for a suffix request, the
     *     suffix range
     * @param known the version held, if any: the response's must match it
     */
    record Prepared(RangeRequest request, RangeEventListener.Request event, Range asked,
            Optional<ResourceVersion> known) {}

    private final StreamContext context;

    Exchange(StreamContext context) {
        this.context = context;
    }

    /** A ranged GET of {@code asked}, with {@code If-Range} when a version is held. */
    Prepared get(Range asked, Optional<ResourceVersion> known, String purpose) {
        return prepared(withIfRange(RangeRequest.get(context.current().get(), asked), known), asked, known, purpose);
    }

    /**
     * A GET of several ranges in one request, with {@code If-Range} when a version is held; its asked
     * range is their span.
     */
    Prepared getAll(List<Range> ranges, Optional<ResourceVersion> known, String purpose) {
        RangeRequest request = new RangeRequest("GET", context.current().get(), ranges, Map.of());
        Range span = Range.of(ranges.get(0).start(), ranges.get(ranges.size() - 1).stop());
        return prepared(withIfRange(request, known), span, known, purpose);
    }

    private static RangeRequest withIfRange(RangeRequest request, Optional<ResourceVersion> known) {
        return known.flatMap(ResourceVersion::ifRangeValidator).map(v -> request.withHeader("If-Range", v)).orElse(request);
    }

    /** A GET of the last {@code n} bytes, sent while the length is unknown (so without validators). */
    Prepared suffix(long n, String purpose) {
        return prepared(RangeRequest.get(context.current().get(), Range.suffix(n)), Range.suffix(n), Optional.empty(), purpose);
    }

    /** A HEAD; conditional ({@code If-None-Match}, else {@code If-Modified-Since}) when a version is held. */
    Prepared head(Optional<ResourceVersion> held, String purpose) {
        RangeRequest request = RangeRequest.head(context.current().get());
        if (held.isPresent() && held.get().strongEtag().isPresent()) {
            request = request.withHeader("If-None-Match", held.get().strongEtag().get());
        } else if (held.isPresent() && held.get().lastModified().isPresent()) {
            request = request.withHeader("If-Modified-Since", held.get().lastModified().get());
        }
        return prepared(request, Range.EMPTY, held, purpose);
    }

    private Prepared prepared(RangeRequest request, Range asked, Optional<ResourceVersion> known, String purpose) {
        return new Prepared(request, SentRequest.eventOf(context, request, purpose), asked, known);
    }

    /**
     * Sends the request and checks its response.
     *
     * @throws IOException if no response came, or the response breaks the protocol
     */
    ExchangeResult send(Prepared p) throws IOException {
        Prepared attempt = p;
        CurrentUri current = context.current();
        // An expired URI is refreshed and the same request (same range, same If-Range) sent again. Only
        // refreshes whose URI never worked count against the budget, so a URI that many parallel requests
        // used up does not fail a request that was merely late to it.
        int budget = Math.max(1, context.options().retries());
        int barren = 0;
        for (int attempts = 1; ; attempts++) {
            ExchangeResult result = sendOnce(attempt);
            URI sentTo = attempt.request().uri();
            if (!(result instanceof ExchangeResult.Failed failed) || !current.expiredBy(failed.status())) {
                current.worked(sentTo);
                return result;
            }
            if (current.neverWorked(sentTo) && ++barren > budget) {
                return result;
            }
            URI fresh = current.replace(sentTo, failed.status());
            RangeRequest r = attempt.request();
            attempt = new Prepared(new RangeRequest(r.method(), fresh, r.ranges(), r.headers()), p.event(), p.asked(),
                    p.known());
            context.events().retry(p.event(), attempts + 1, failed.status() + ", URI refreshed", Duration.ZERO);
        }
    }

    private ExchangeResult sendOnce(Prepared p) throws IOException {
        SentRequest sent = SentRequest.send(context, p.request(), p.event());
        boolean handedOver = false;
        try {
            ExchangeResult result = check(p, sent);
            handedOver = result instanceof ExchangeResult.Partial || result instanceof ExchangeResult.Multipart
                    || result instanceof ExchangeResult.WholeBody
                    || result instanceof ExchangeResult.Headers || result instanceof ExchangeResult.NotModified;
            return result;
        } catch (IOException | RuntimeException e) {
            if (e instanceof IOException io) {
                sent.failed(io);
            }
            throw e;
        } finally {
            if (!handedOver) {
                sent.close();
            }
        }
    }

    private ExchangeResult check(Prepared p, SentRequest sent) throws IOException {
        RangeResponse response = sent.response();
        int status = response.status();
        boolean head = p.request().method().equals("HEAD");
        if (head) {
            if (status == 304) {
                return new ExchangeResult.NotModified(sent);
            }
            if (status == 200) {
                OptionalLong length = identity(response) ? response.contentLength() : OptionalLong.empty();
                boolean ranges = !response.header("Accept-Ranges").orElse("bytes").equalsIgnoreCase("none");
                return new ExchangeResult.Headers(sent, length.isPresent()
                        ? Optional.of(versionOf(response, length.getAsLong())) : Optional.empty(), ranges);
            }
        } else if (status == 206) {
            requireIdentity(response, p.asked());
            return p.request().ranges().size() > 1 ? multipart(p, sent) : partial(p, sent);
        } else if (status == 200) {
            requireIdentity(response, p.asked());
            OptionalLong length = response.contentLength();
            return new ExchangeResult.WholeBody(sent, length.isPresent()
                    ? Optional.of(versionOf(response, length.getAsLong())) : Optional.empty());
        } else if (status == 416) {
            return new ExchangeResult.NotSatisfiable(
                    response.contentRange().map(ContentRange::length).orElse(OptionalLong.empty()));
        }
        if (status == 429 || status >= 500) {
            return new ExchangeResult.RetryLater(status, response.header("Retry-After").flatMap(Retries::parseRetryAfter));
        }
        return new ExchangeResult.Failed(status);
    }

    private ExchangeResult.Partial partial(Prepared p, SentRequest sent) throws IOException {
        RangeResponse response = sent.response();
        URI uri = context.uri();
        Range asked = p.asked();
        if (!asked.isResolved()) {
            // A suffix: the length comes from the answer, then it is checked as every 206 is against the
            // range the suffix stands for.
            long n = -asked.start();
            OptionalLong length = response.contentRange().map(ContentRange::length).orElse(OptionalLong.empty());
            if (length.isEmpty()) {
                throw new RangeStreamException("206 for the last " + n + " bytes of " + uri
                        + " has no valid Content-Range with the complete length (got "
                        + response.header("Content-Range").orElse("none") + ")");
            }
            asked = asked.resolve(length.getAsLong());
        }
        Optional<ContentRange> cr = response.contentRange();
        if (cr.isEmpty() || cr.get().range().isEmpty()) {
            throw new RangeStreamException("206 for " + asked + " of " + uri + " has no valid Content-Range (got "
                    + response.header("Content-Range").orElse("none") + ")");
        }
        Range got = cr.get().range().get();
        long length = cr.get().length().orElse(p.known().map(ResourceVersion::length).orElse(-1L));
        long expectedStop = length >= 0 ? Math.min(asked.stop(), length) : asked.stop();
        boolean clippedAtEnd = length >= 0 && got.stop() == length && asked.stop() >= length;
        if (got.start() != asked.start() || got.stop() != expectedStop && !clippedAtEnd) {
            throw new RangeStreamException("asked for range " + asked + " of " + uri + " but the server sent "
                    + got + " (Content-Range: " + response.header("Content-Range").orElse("") + ")");
        }
        if (length < 0) {
            throw new RangeStreamException("206 for " + asked + " of " + uri
                    + " does not state the complete length (Content-Range: " + response.header("Content-Range").orElse("")
                    + ")");
        }
        OptionalLong contentLength = response.contentLength();
        if (contentLength.isPresent() && contentLength.getAsLong() != got.length()) {
            throw new RangeStreamException("206 for range " + got + " of " + uri + " has Content-Length "
                    + contentLength.getAsLong() + " instead of " + got.length());
        }
        return new ExchangeResult.Partial(sent, asked, versionOf(response, length));
    }

    /**
     * A {@code 206} to a request for several ranges: a {@code multipart/byteranges} body, or one range the
     * server sent alone (say, coalesced), whose {@code Content-Range} states the complete length and
     * agrees with its {@code Content-Length}.
     */
    private ExchangeResult multipart(Prepared p, SentRequest sent) throws RangeStreamException {
        RangeResponse response = sent.response();
        String type = response.header("Content-Type").orElse("");
        if (type.trim().toLowerCase(Locale.ROOT).startsWith("multipart/byteranges")) {
            return new ExchangeResult.Multipart(sent, boundaryOf(type));
        }
        Optional<ContentRange> cr = response.contentRange();
        if (cr.isPresent() && cr.get().range().isPresent() && cr.get().length().isPresent()) {
            Range got = cr.get().range().get();
            OptionalLong contentLength = response.contentLength();
            if (contentLength.isEmpty() || contentLength.getAsLong() == got.length()) {
                return new ExchangeResult.Partial(sent, got, versionOf(response, cr.get().length().getAsLong()));
            }
        }
        throw new RangeStreamException("206 for ranges " + p.request().rangeHeader().orElse("") + " of " + context.uri()
                + " is neither multipart/byteranges nor one valid range (Content-Type: " + type + ", Content-Range: "
                + response.header("Content-Range").orElse("none") + ")");
    }

    /** The {@code boundary} parameter of a multipart {@code Content-Type}, if it is a valid one (RFC 2046). */
    static Optional<String> boundaryOf(String contentType) {
        for (String param : contentType.split(";")) {
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
                String b = param.substring(eq + 1).trim();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                return b.isEmpty() || b.length() > 70 || !b.chars().allMatch(c -> c >= 0x20 && c < 0x7f)
                        ? Optional.empty() : Optional.of(b);
            }
        }
        return Optional.empty();
    }

    private void requireIdentity(RangeResponse response, Range asked) throws RangeStreamException {
        if (!identity(response)) {
            throw new RangeStreamException("response " + response.status() + " for " + asked + " of " + context.uri()
                    + " has Content-Encoding " + response.header("Content-Encoding").orElse("")
                    + "; only identity is accepted, as the request said");
        }
    }

    private static boolean identity(RangeResponse response) {
        return response.header("Content-Encoding").orElse("identity").trim().equalsIgnoreCase("identity");
    }

    /** The version a response shows, with the resource's complete {@code length}. */
    static ResourceVersion versionOf(RangeResponse response, long length) {
        return new ResourceVersion(length, response.header("ETag"), response.header("Last-Modified"));
    }
}
