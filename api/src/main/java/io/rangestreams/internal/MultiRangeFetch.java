package io.rangestreams.internal;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.RangeStreamException;
import io.rangestreams.ResourceChangedException;
import io.rangestreams.spi.ContentRange;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.ResourceVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Fetches several planned ranges in one request ({@code Range: bytes=a-b,c-d,...}), when the client's
 * {@link EngineOptions#maxRangesPerRequest()} allows it. Each part of the {@code multipart/byteranges}
 * answer is checked (its {@code Content-Range} inside the ranges asked, with the known length, its bytes
 * exactly that long and followed by a delimiter) before its last chunk is stored; what the answer does
 * not bring, the caller fetches one range per request. A server that answers {@code 200} is not asked for
 * several ranges again by this stream.
 */
final class MultiRangeFetch {

    private static final Log LOG = Log.of(MultiRangeFetch.class);

    /** The longest {@code Range} header sent: many servers and proxies refuse request headers past 4 or 8 KiB. */
    static final int MAX_RANGE_HEADER = 4000;
    /** Framing bytes allowed per part (delimiter and headers) beyond the bytes asked, before a body is refused. */
    private static final long FRAMING_PER_PART = MultipartParts.MAX_LINE * 2L;

    private final StreamContext context;
    private final ResourceState state;
    private final Exchange exchange;
    private final Receiver receiver;
    private final VersionSync versions;
    private volatile boolean refused; // the server answered 200 to several ranges

    MultiRangeFetch(StreamContext context, ResourceState state, Exchange exchange, Receiver receiver,
            VersionSync versions) {
        this.context = context;
        this.state = state;
        this.exchange = exchange;
        this.receiver = receiver;
        this.versions = versions;
    }

    /**
     * Splits planned fetches into the batches to send: groups of several (see {@link #groups}), each to go
     * as one request, and single fetches. Every fetch goes alone while the option is 1, the length is
     * unknown, the server refused several ranges, or the stream reads a fallback buffer.
     */
    List<List<InFlight>> batches(List<InFlight> planned) {
        boolean known;
        synchronized (state) {
            known = state.versions.versionOrNull() != null && state.fallback == null;
        }
        List<List<InFlight>> batches = new ArrayList<>();
        if (!enabled() || !known || planned.size() < 2) {
            planned.forEach(f -> batches.add(List.of(f)));
            return batches;
        }
        List<InFlight> together = new ArrayList<>();
        for (InFlight f : planned) {
            if (f.streaming) {
                batches.add(List.of(f));
            } else {
                together.add(f);
            }
        }
        together.sort(Comparator.comparingLong(f -> f.range().start()));
        int next = 0;
        for (List<Range> group : groups(together.stream().map(InFlight::range).toList())) {
            batches.add(List.copyOf(together.subList(next, next + group.size())));
            next += group.size();
        }
        return batches;
    }

    /** Whether this stream may send several ranges in one request. */
    boolean enabled() {
        return context.options().maxRangesPerRequest() > 1 && !refused;
    }

    /**
     * Splits sorted, disjoint ranges into groups of up to {@link EngineOptions#maxRangesPerRequest()} whose
     * {@code Range} header stays under {@link #MAX_RANGE_HEADER} characters, in order. A group holds at
     * most {@link EngineOptions#maxRequestSize()} bytes (a range alone may hold more), so large fetches
     * keep running in parallel requests.
     */
    List<List<Range>> groups(List<Range> sorted) {
        int max = context.options().maxRangesPerRequest();
        long maxBytes = context.options().maxRequestSize();
        List<List<Range>> groups = new ArrayList<>();
        List<Range> group = new ArrayList<>();
        int header = "bytes=".length();
        long bytes = 0;
        for (Range r : sorted) {
            int spec = RangeRequest.get(context.uri(), r).rangeHeader().orElseThrow().length() - "bytes=".length() + 1;
            if (!group.isEmpty() && (group.size() == max || header + spec > MAX_RANGE_HEADER
                    || bytes + r.length() > maxBytes)) {
                groups.add(List.copyOf(group));
                group.clear();
                header = "bytes=".length();
                bytes = 0;
            }
            group.add(r);
            header += spec;
            bytes += r.length();
        }
        if (!group.isEmpty()) {
            groups.add(List.copyOf(group));
        }
        return groups;
    }

    /**
     * Sends {@code ranges} (sorted, disjoint) as one request and stores what its answer brings that
     * passes the checks. Any other failure (no answer, a status other than 206, a malformed body) ends
     * the request and leaves the rest to the caller.
     *
     * @return the ranges this request brought and stored whole
     * @throws ResourceChangedException if the file changed and the options say to fail
     * @throws InterruptedIOException if interrupted
     */
    RangeSet fetch(List<Range> ranges, String purpose) throws IOException {
        Optional<ResourceVersion> known;
        synchronized (state) {
            known = state.versions.version();
            if (state.fallback != null) {
                return RangeSet.EMPTY;
            }
        }
        Exchange.Prepared p = exchange.getAll(ranges, known, purpose);
        LOG.debug("GET {0} {1} ({2} ranges in one request)", context.uri(),
                p.request().rangeHeader().orElse(""), ranges.size());
        List<Range> stored = new ArrayList<>();
        SentRequest sent = null;
        try {
            ExchangeResult result = exchange.send(p);
            if (result instanceof ExchangeResult.Multipart m) {
                sent = m.sent();
                parts(m, ranges, known, stored);
            } else if (result instanceof ExchangeResult.Partial partial) {
                sent = partial.sent();
                single(partial, ranges, known, stored);
            } else if (result instanceof ExchangeResult.WholeBody whole) {
                // Nothing of the whole body is read: closed now, the transport drops the connection.
                sent = whole.sent();
                Optional<ResourceVersion> now = whole.version();
                if (known.isPresent() && now.isPresent() && !known.get().isSameVersion(now.get())) {
                    // The If-Range did not match: the file changed, which says nothing of multi-range support.
                    versions.learn(now.get(), sent.response(), true);
                } else {
                    refuse("200");
                }
            } else {
                LOG.debug("{0} for several ranges of {1}; fetching them one by one", result.status(),
                        context.uri());
            }
        } catch (ResourceChangedException | InterruptedIOException e) {
            failed(sent, e);
            throw e;
        } catch (IOException e) {
            failed(sent, e);
            LOG.debug("several ranges of {0}: {1}; fetching the rest one by one", context.uri(), e);
        } finally {
            if (sent != null) {
                sent.close();
            }
        }
        return RangeSet.ofAll(stored);
    }

    /** A single range sent for several: kept when it lies within their span and is not too large. */
    private void single(ExchangeResult.Partial partial, List<Range> ranges, Optional<ResourceVersion> known,
            List<Range> stored) throws IOException {
        Range got = partial.range();
        Range span = Range.of(ranges.get(0).start(), ranges.get(ranges.size() - 1).stop());
        long asked = RangeSet.ofAll(ranges).totalLength();
        if (got.start() < span.start() || got.stop() > span.stop() || got.length() > 2 * asked
                || known.isPresent() && partial.version().length() != known.get().length()) {
            refuse("206 with the single range " + got + " (length " + partial.version().length() + ")");
            return;
        }
        versions.learn(partial.version(), partial.sent().response(), true);
        long pos = receiver.receive(partial.sent().body(), new Receiver.Cursor(got.start()), got.stop(),
                partial.version());
        if (pos == got.stop()) {
            stored.add(got);
        }
    }

    /** Reads the parts of a multipart body, storing each that passes the checks, until the close delimiter. */
    private void parts(ExchangeResult.Multipart m, List<Range> ranges, Optional<ResourceVersion> known,
            List<Range> stored) throws IOException {
        SentRequest sent = m.sent();
        String boundary = m.boundary().orElseThrow(() -> new RangeStreamException("multipart/byteranges answer for "
                + context.uri() + " names no valid boundary (Content-Type: "
                + sent.response().header("Content-Type").orElse("") + ")"));
        RangeSet asked = RangeSet.ofAll(ranges);
        long limit = asked.totalLength() + FRAMING_PER_PART * (ranges.size() + 4);
        MultipartParts parts = new MultipartParts(sent.body(), boundary, context.uri());
        long length = known.map(ResourceVersion::length).orElse(-1L); // else the first part states it
        ResourceVersion v = null; // learned from the first part
        Held last = null;
        Optional<Map<String, String>> headers;
        while (true) {
            headers = parts.next(); // a part is followed by a delimiter, or it was longer than it said
            if (last != null) {
                receiver.storeOwned(v, last.position(), last.chunk(), last.count());
                stored.add(last.part());
                last = null;
            }
            if (headers.isEmpty()) {
                parts.drainEpilogue();
                return;
            }
            ContentRange cr = checkedPart(headers.get(), asked, length);
            Range got = cr.range().orElseThrow();
            if (sent.body().count() + got.length() > limit) {
                throw new RangeStreamException("multipart/byteranges answer for " + context.uri()
                        + " is longer than the " + ranges.size() + " ranges asked and their framing");
            }
            if (v == null) {
                length = cr.length().orElseThrow();
                v = Exchange.versionOf(sent.response(), length);
                versions.learn(v, asPart(sent.response(), headers.get()), true);
            }
            last = read(parts, got, v);
        }
    }

    /**
     * A part's {@code Content-Range}, checked: a range inside the ranges asked, and the complete length,
     * which is {@code length} when that is known (not negative).
     */
    private ContentRange checkedPart(Map<String, String> headers, RangeSet asked, long length)
            throws RangeStreamException {
        String value = headers.getOrDefault("content-range", "");
        Optional<ContentRange> cr = ContentRange.parse(value);
        if (cr.isEmpty() || cr.get().range().isEmpty() || cr.get().length().isEmpty()) {
            throw new RangeStreamException("a part of the multipart answer for " + context.uri()
                    + " has no valid Content-Range with the complete length (got '" + value + "')");
        }
        Range got = cr.get().range().get();
        if (length >= 0 && cr.get().length().getAsLong() != length) {
            throw new RangeStreamException("a part of the multipart answer for " + context.uri() + " states length "
                    + cr.get().length().getAsLong() + ", not the known " + length + " (Content-Range: " + value + ")");
        }
        if (!asked.encloses(got)) {
            throw new RangeStreamException("a part of the multipart answer for " + context.uri() + " holds " + got
                    + ", which lies outside the ranges asked (Content-Range: " + value + ")");
        }
        return cr.get();
    }

    /**
     * The response as one of its parts: its headers with the part's {@code Content-Type}, which is the
     * resource's, instead of the multipart one.
     */
    private static RangeResponse asPart(RangeResponse response, Map<String, String> part) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(response.headers());
        headers.remove("Content-Type");
        if (part.containsKey("content-type")) {
            headers.put("Content-Type", List.of(part.get("content-type")));
        }
        return new RangeResponse(response.status(), response.uri(), headers, InputStream.nullInputStream(),
                response.protocol());
    }

    /** A part's last chunk, read but stored only once the delimiter after it is seen. */
    private record Held(Range part, long position, byte[] chunk, int count) {}

    /** Reads a part's bytes, storing every chunk but the last, which it returns. */
    private Held read(MultipartParts in, Range part, ResourceVersion v) throws IOException {
        long pos = part.start();
        while (true) {
            int want = (int) Math.min(Receiver.CHUNK, part.stop() - pos);
            byte[] chunk = receiver.newChunk(want);
            int filled = 0;
            int n;
            while (filled < want && (n = in.read(chunk, filled, want - filled)) > 0) {
                filled += n;
            }
            if (filled < want) {
                throw new RangeStreamException("multipart/byteranges answer for " + context.uri() + " ended "
                        + (pos + filled - part.start()) + " bytes into its part " + part);
            }
            if (pos + filled == part.stop()) {
                return new Held(part, pos, chunk, filled);
            }
            receiver.storeOwned(v, pos, chunk, filled);
            pos += filled;
        }
    }

    private void refuse(String answer) {
        refused = true;
        LOG.debug("{0} answered {1} to several ranges; fetching ranges one per request from now on",
                context.uri(), answer);
    }

    private static void failed(SentRequest sent, IOException failure) {
        if (sent != null) {
            sent.failed(failure);
        }
    }
}
