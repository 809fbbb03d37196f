package io.rangestreams.internal;

import io.rangestreams.HttpStatusException;
import io.rangestreams.Range;
import io.rangestreams.RangeNotSatisfiableException;
import io.rangestreams.RangeSet;
import io.rangestreams.RangeStreamException;
import io.rangestreams.ResourceInfo;
import io.rangestreams.Revalidation;
import io.rangestreams.spi.ResourceVersion;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Learns what the stream needs before it can plan: the length and version, from the first fetch of an
 * absolute range, a suffix request for a range counted from the end, or a probe ({@code HEAD}, else a
 * ranged GET); and checks held bytes against the server (a conditional {@code HEAD}, else a one-byte GET
 * with {@code If-Range}).
 */
final class Discovery {

    private static final Log LOG = Log.of(Discovery.class);

    private final StreamContext context;
    private final ResourceState state;
    private final ResumingFetch fetch;
    private final VersionSync versions;
    private final Fallback fallback;
    private final Receiver receiver;
    private final Exchange exchange;
    private final MultiRangeFetch multi;

    Discovery(StreamContext context, ResourceState state, Exchange exchange, ResumingFetch fetch, VersionSync versions,
            Fallback fallback, Receiver receiver, MultiRangeFetch multi) {
        this.context = context;
        this.state = state;
        this.exchange = exchange;
        this.fetch = fetch;
        this.versions = versions;
        this.fallback = fallback;
        this.receiver = receiver;
        this.multi = multi;
    }

    /** The resource's length, version and type, learned with as few requests as it takes. */
    ResourceInfo resource() throws IOException {
        versions.loadHeld();
        fallback.measure(); // a whole body that gave no length tells it only at its end
        boolean held;
        synchronized (state) {
            VersionTracker t = state.versions;
            if (t.info().isPresent()) {
                return t.info().get();
            }
            if (t.versionOrNull() != null && context.options().revalidation() == Revalidation.NEVER) {
                t.info(VersionSync.infoOf(context.uri(), t.versionOrNull(), Optional.empty(), true));
                return t.info().get();
            }
            held = t.versionOrNull() != null && !t.validated();
        }
        if (held) {
            // The store holds a version (e.g. from an earlier run): a conditional HEAD both validates
            // it and answers this call, so it is the one validating request.
            validateHeld();
            synchronized (state) {
                if (state.versions.info().isPresent()) {
                    return state.versions.info().get();
                }
            }
        }
        probe();
        synchronized (state) {
            return state.versions.info().orElseThrow();
        }
    }

    /** The length, with no request when it is known and usable. */
    long knownLength() throws IOException {
        synchronized (state) {
            Optional<Long> known = state.versions.usableLength(state.fallback != null);
            if (known.isPresent()) {
                return known.get();
            }
        }
        return resource().length();
    }

    /**
     * The length, or while a whole body that gave none is still arriving, at least {@code stop} (or where
     * it ended, short of it): absolute reads are served as their bytes arrive, without waiting for its end.
     */
    long lengthReaching(long stop) throws IOException {
        Optional<Long> partial = fallback.lengthReaching(stop < 0 ? Long.MAX_VALUE : stop);
        return partial.isPresent() ? partial.get() : knownLength();
    }

    /**
     * Resolves a range, learning the length first if needed: a range counted from the end is fetched
     * with {@code bytes=-n} from its start (at least one block, so a footer read needs no HEAD and
     * usually brings what the footer points to); any other relative range probes the length.
     */
    Range resolve(Range r) throws IOException {
        if (r.isResolved()) {
            return r;
        }
        versions.loadHeld();
        boolean unknown;
        synchronized (state) {
            unknown = state.versions.versionOrNull() == null && state.fallback == null;
        }
        if (unknown && r.start() < 0) {
            // Footers first: any read counted from the end goes as one suffix request, no HEAD.
            fetchSuffix(-r.start());
        }
        return r.resolve(knownLength());
    }

    /**
     * While nothing is known of the resource, the first read of an absolute range fetches (the start
     * of) that range and learns the length from its {@code Content-Range}, instead of sending a
     * {@code HEAD} first. A range past the end (416) leaves the length to the probe. A read widens the
     * range to whole blocks; a fetch ({@code exact}) asks for just its bytes. Readers that come while
     * another one's first fetch is on its way wait for it, then read as usual.
     */
    void learnWhileFetching(Range abs, boolean exact) throws IOException {
        if (abs.isEmpty() || !abs.isResolved()) {
            return;
        }
        learnBy(() -> firstFetch(abs, exact));
    }

    /**
     * While nothing is known of the resource, a fetch of several absolute ranges, when the client sends
     * several in one request, fetches the first group of them in one request and learns the length from
     * its parts; otherwise (or when that answer teaches nothing) each range's first fetch does, as
     * {@link #learnWhileFetching(Range, boolean)} says.
     */
    void learnWhileFetchingAll(Collection<Range> ranges) throws IOException {
        if (ranges.size() < 2 || !multi.enabled() || !ranges.stream().allMatch(r -> r.isResolved() && !r.isEmpty())) {
            return;
        }
        List<List<Range>> groups = multi.groups(RangeSet.ofAll(ranges).ranges());
        if (groups.get(0).size() > 1) {
            learnBy(() -> multi.fetch(groups.get(0), "fetch"));
        }
    }

    /** A first fetch, which teaches the length when it succeeds. */
    private interface FirstFetch {
        void run() throws IOException;
    }

    private void learnBy(FirstFetch first) throws IOException {
        versions.loadHeld();
        CompletableFuture<Void> theirs;
        CompletableFuture<Void> mine = null;
        synchronized (state) {
            if (state.versions.versionOrNull() != null || state.fallback != null || state.versions.info().isPresent()) {
                return;
            }
            theirs = state.learning;
            if (theirs == null) {
                mine = new CompletableFuture<>();
                state.learning = mine;
            }
        }
        if (theirs != null) {
            try {
                theirs.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for the first fetch of " + context.uri());
            } catch (ExecutionException e) {
                learnBy(first); // it failed: this reader tries itself
            }
            return;
        }
        try {
            first.run();
            mine.complete(null);
        } catch (IOException | RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            synchronized (state) {
                state.learning = null;
            }
        }
    }

    private void firstFetch(Range abs, boolean exact) throws IOException {
        long block = exact ? 1 : context.options().blockSize();
        long start = abs.start() / block * block;
        long stop = Math.min(abs.stop(), start + context.options().maxRequestSize());
        long aligned = stop % block == 0 || stop > Long.MAX_VALUE - block ? stop : (stop / block + 1) * block;
        LOG.debug("length of {0} unknown: learning it from the first fetch", context.uri());
        try {
            fetch.fetch(Range.of(start, aligned), "fetch");
        } catch (RangeNotSatisfiableException e) {
            // Past the end, the callers answer -1, EOF or 416 once the length is known; a 416 for bytes
            // that do exist is the server's error and stays one.
            if (abs.start() < resource().length()) {
                throw e;
            }
        }
    }

    private void fetchSuffix(long n) throws IOException {
        URI uri = context.uri();
        long size = Math.max(n, context.options().blockSize());
        LOG.debug("GET {0} last {1} bytes (length unknown)", uri, size);
        Exchange.Prepared p = exchange.suffix(size, "suffix");
        ExchangeResult result = fetch.send(p);
        if (result instanceof ExchangeResult.Partial partial) {
            SentRequest sent = partial.sent();
            try {
                versions.learn(partial.version(), sent.response(), true);
                Range got = partial.range();
                Receiver.Cursor cursor = new Receiver.Cursor(got.start());
                long pos;
                try {
                    pos = receiver.receive(sent.body(), cursor, got.stop(), partial.version());
                } catch (RangeStreamException e) {
                    throw e;
                } catch (IOException e) {
                    sent.failed(e);
                    pos = cursor.position;
                }
                if (pos < got.stop()) {
                    sent.failed(new EOFException("body of the last " + size + " bytes of " + uri + " ended after "
                            + (pos - got.start()) + " bytes"));
                    sent.close();
                    context.events().retry(p.event(), 2, "body cut short after " + (pos - got.start()) + " bytes",
                            Duration.ZERO);
                    fetch.fetch(Range.of(pos, got.stop()), "resume");
                }
            } catch (RangeStreamException e) {
                sent.failed(e);
                throw e;
            } finally {
                sent.close();
            }
        } else if (result instanceof ExchangeResult.WholeBody whole) {
            boolean kept = false;
            try {
                kept = fallback.wholeBody(whole, Optional.empty());
            } finally {
                if (!kept) {
                    whole.sent().close();
                }
            }
        } else if (result instanceof ExchangeResult.NotSatisfiable) {
            throw new RangeNotSatisfiableException("server answered 416 for the last " + size + " bytes of " + uri);
        } else {
            int status = result.status();
            throw new HttpStatusException(status, "server answered " + status + " for the last " + size
                    + " bytes of " + uri);
        }
    }

    /** Learns the length (and version) with HEAD, or a ranged GET when HEAD is refused. */
    private void probe() throws IOException {
        URI uri = context.uri();
        LOG.debug("HEAD {0} to learn its length", uri);
        ExchangeResult result = fetch.send(exchange.head(Optional.empty(), "probe"));
        int status = result.status();
        if (result instanceof ExchangeResult.Headers h) {
            boolean unsure;
            try (SentRequest sent = h.sent()) {
                if (h.version().isEmpty()) {
                    unsure = false;
                } else {
                    versions.learn(h.version().get(), sent.response(), h.rangesHonoured());
                    unsure = h.rangesHonoured() && h.version().get().length() > 0 && sent.response()
                            .header("Accept-Ranges").filter(v -> v.toLowerCase(Locale.ROOT).contains("bytes")).isEmpty();
                    if (!unsure) {
                        return;
                    }
                }
            }
            if (unsure) {
                // HEAD does not say whether ranges are honoured: one ranged GET shows it (a 200 starts the fallback).
                LOG.debug("HEAD {0} sent no Accept-Ranges: bytes; probing with a ranged GET", uri);
                fetch.fetch(Range.of(0, 1), "ranges probe");
                return;
            }
        } else if (result instanceof ExchangeResult.NotModified nm) {
            nm.sent().close();
        }
        if (status == 404 || status == 410 || status == 401 || status == 403) {
            throw new HttpStatusException(status, "server answered " + status + " to HEAD " + uri);
        }
        LOG.debug("HEAD {0} answered {1} without a usable length; probing with a ranged GET", uri, status);
        // HEAD refused or unhelpful: fetch the first block, which teaches the length and is kept.
        fetch.fetch(Range.of(0, context.options().blockSize()), "probe");
        synchronized (state) {
            VersionTracker t = state.versions;
            if (t.info().isEmpty() && t.versionOrNull() != null) {
                t.info(VersionSync.infoOf(uri, t.versionOrNull(), Optional.empty(), state.fallback == null));
            }
            if (t.info().isEmpty()) {
                throw new RangeStreamException("could not learn the length of " + uri);
            }
        }
    }

    /** Checks held bytes with a conditional request, so a changed file is never served. */
    void validateHeld() throws IOException {
        ResourceVersion held;
        synchronized (state) {
            held = state.versions.versionOrNull();
            if (state.versions.validated() || held == null) {
                return;
            }
        }
        LOG.debug("validating held bytes of {0} with a conditional HEAD", context.uri());
        ExchangeResult result = fetch.send(exchange.head(Optional.of(held), "validate"));
        int status = result.status();
        if (result instanceof ExchangeResult.NotModified nm) {
            versions.confirmed(nm.sent().response(), held);
            nm.sent().close();
            context.events().revalidated(context.uri(), true);
            return;
        }
        if (result instanceof ExchangeResult.Headers h) {
            try (SentRequest sent = h.sent()) {
                if (h.version().isPresent()) {
                    versions.learn(h.version().get(), sent.response(), true);
                    return;
                }
            }
        }
        if (status == 404 || status == 410) {
            throw new HttpStatusException(status, "server answered " + status + " validating " + context.uri());
        }
        // HEAD refused: a one-byte ranged GET with If-Range validates (206) or reveals a change (200).
        fetch.fetch(Range.of(0, 1), "validate");
    }
}
