package io.rangestreams.internal;

import io.rangestreams.HttpStatusException;
import io.rangestreams.Range;
import io.rangestreams.RangeNotSatisfiableException;
import io.rangestreams.RangeStreamException;
import io.rangestreams.spi.ResourceVersion;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Fetches a range into the store, resuming a body cut short from its last byte and retrying a failed
 * request or a {@code 429}/{@code 5xx} (after its {@code Retry-After}, else a backoff), within the retry
 * budget. Also sends the other kinds of request again on the same terms ({@link #send}).
 */
final class ResumingFetch {

    private static final Log LOG = Log.of(ResumingFetch.class);

    private final StreamContext context;
    private final ResourceState state;
    private final Exchange exchange;
    private final Receiver receiver;
    private final VersionSync versions;
    private final Fallback fallback;
    private final Retries retries;

    ResumingFetch(StreamContext context, ResourceState state, Exchange exchange, Receiver receiver,
            VersionSync versions, Fallback fallback) {
        this.context = context;
        this.state = state;
        this.exchange = exchange;
        this.receiver = receiver;
        this.versions = versions;
        this.fallback = fallback;
        this.retries = new Retries(context.options().retries(), context.options().retryAfterCap());
    }

    /**
     * Sends {@code p} until it gets an answer other than "retry later" or a failure before any response,
     * within the retry budget; the last answer (or failure) is the caller's.
     */
    ExchangeResult send(Exchange.Prepared p) throws IOException {
        int attempt = 0;
        while (true) {
            try {
                ExchangeResult result = exchange.send(p);
                if (result instanceof ExchangeResult.RetryLater later && retries.allowsAnother(attempt)) {
                    attempt++;
                    Duration wait = retries.delay(attempt, later.retryAfter());
                    context.events().retry(p.event(), attempt + 1, Integer.toString(later.status()), wait);
                    LOG.debug("{0} for {1}; retrying in {2} ms", later.status(), p.request(), wait.toMillis());
                    Retries.pause(wait, context.uri().toString());
                    continue;
                }
                return result;
            } catch (RangeStreamException | InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                if (!retries.allowsAnother(attempt)) {
                    throw e;
                }
                attempt++;
                context.events().retry(p.event(), attempt + 1, e.toString(), Duration.ZERO);
                LOG.debug("{0} failed ({1}); retrying", p.request(), e);
            }
        }
    }

    /**
     * Fetches {@code wanted} into the store.
     *
     * @param purpose what the request is for, as the request events say
     */
    void fetch(Range wanted, String purpose) throws IOException {
        URI uri = context.uri();
        long pos = wanted.start();
        long stop = wanted.stop();
        int attempt = 0;
        IOException last = null;
        String why = purpose;
        while (pos < stop) {
            Optional<ResourceVersion> known;
            synchronized (state) {
                known = state.versions.version();
                if (state.fallback != null) {
                    return;
                }
            }
            if (known.isPresent()) {
                stop = Math.min(stop, known.get().length());
                if (pos >= stop) {
                    return;
                }
            }
            Range asked = Range.of(pos, stop);
            Exchange.Prepared p = exchange.get(asked, known, why);
            LOG.debug("GET {0} {1} (attempt {2})", uri, asked, attempt + 1);
            long before = pos;
            Receiver.Cursor cursor = new Receiver.Cursor(pos);
            SentRequest sent = null;
            boolean keepBody = false;
            try {
                ExchangeResult result = exchange.send(p);
                if (result instanceof ExchangeResult.Partial partial) {
                    sent = partial.sent();
                    versions.learn(partial.version(), sent.response(), true);
                    stop = Math.min(stop, partial.version().length());
                    pos = receiver.receive(sent.body(), cursor, Math.min(asked.stop(), partial.version().length()),
                            partial.version());
                    if (pos < stop) {
                        attempt++;
                        last = new EOFException("body of " + asked + " ended after " + (pos - before) + " bytes");
                        sent.failed(last);
                        if (attempt > context.options().retries()) {
                            break;
                        }
                        LOG.debug("body of {0} of {1} cut short after {2} bytes; resuming", asked, uri,
                                pos - before);
                        context.events().retry(p.event(), attempt + 1, "body cut short after " + (pos - before)
                                + " bytes", Duration.ZERO);
                        why = pos > wanted.start() ? "resume" : purpose;
                    }
                } else if (result instanceof ExchangeResult.WholeBody whole) {
                    sent = whole.sent();
                    keepBody = fallback.wholeBody(whole, known);
                    if (!keepBody) {
                        attempt++; // the file changed under us: refetch, but not forever
                        last = new RangeStreamException(uri + " changed while " + asked + " was fetched");
                        if (attempt > context.options().retries()) {
                            break;
                        }
                        sent.close();
                        context.events().retry(p.event(), attempt + 1, "changed", Duration.ZERO);
                    }
                } else if (result instanceof ExchangeResult.NotSatisfiable ns) {
                    throw new RangeNotSatisfiableException("server answered 416 for range " + asked + " of " + uri
                            + lengthNote(ns.length()));
                } else if (result instanceof ExchangeResult.RetryLater later && attempt < context.options().retries()) {
                    attempt++;
                    Duration wait = retries.delay(attempt, later.retryAfter());
                    context.events().retry(p.event(), attempt + 1, Integer.toString(later.status()), wait);
                    LOG.debug("{0} for {1} of {2}; retrying in {3} ms", later.status(), asked, uri,
                            wait.toMillis());
                    Retries.pause(wait, uri.toString());
                } else {
                    throw statusError(result.status(), asked, attempt);
                }
            } catch (RangeStreamException | InterruptedIOException e) {
                failed(sent, e);
                throw e;
            } catch (IOException e) {
                failed(sent, e);
                pos = Math.max(pos, cursor.position);
                attempt++;
                last = e;
                if (attempt > context.options().retries()) {
                    break;
                }
                LOG.debug("request for {0} of {1} failed ({2}); retrying from {3}", asked, uri, e, pos);
                context.events().retry(p.event(), attempt + 1, e.toString(), Duration.ZERO);
                why = pos > wanted.start() ? "resume" : purpose;
            } finally {
                if (sent != null && !keepBody) {
                    sent.close();
                }
            }
        }
        if (pos < stop) {
            throw new RangeStreamException("range " + wanted + " of " + uri + ": received " + (pos - wanted.start())
                    + " of " + (stop - wanted.start()) + " bytes; gave up after " + attempt + " attempts"
                    + (last != null ? " (" + last.getMessage() + ")" : ""), last);
        }
    }

    private HttpStatusException statusError(int status, Range asked, int attempt) {
        return new HttpStatusException(status, "server answered " + status + " for range " + asked + " of "
                + context.uri() + (attempt > 0 ? " after " + (attempt + 1) + " attempts" : ""));
    }

    static String lengthNote(OptionalLong length) {
        return length.stream().mapToObj(l -> " (length " + l + ")").findFirst().orElse("");
    }

    private static void failed(SentRequest sent, IOException failure) {
        if (sent != null) {
            sent.failed(failure);
        }
    }
}
