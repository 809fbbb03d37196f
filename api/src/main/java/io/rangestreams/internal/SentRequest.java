package io.rangestreams.internal;

import io.rangestreams.RangeEventListener;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * One request through the transport, from {@link RangeEventListener#requestStart} to its one end event:
 * {@code requestEnd} when its body is closed, or {@code requestFailed} when no response came or the body
 * failed or came short. Its body counts every byte read from it.
 */
final class SentRequest implements Closeable {

    private static final Log LOG = Log.of(SentRequest.class);

    private final RangeEventListener.Request event;
    private final StreamContext context;
    private final long started;
    private final RangeResponse response;
    private final CountedBody body;
    private boolean finished; // under this
    private boolean closed; // under this

    private SentRequest(RangeEventListener.Request event, StreamContext context, long started, RangeResponse response) {
        this.event = event;
        this.context = context;
        this.started = started;
        this.response = response;
        this.body = new CountedBody(response.body(), context.stats()::addFetched);
    }

    /**
     * The event describing {@code request}.
     *
     * @param purpose what it is for, as {@link RangeEventListener.Request#purpose()} lists
     */
    static RangeEventListener.Request eventOf(StreamContext context, RangeRequest request, String purpose) {
        return new RangeEventListener.Request(context.uri(), request.method(), request.rangeHeader().orElse(""),
                context.transport().name(), purpose);
    }

    /** Sends {@code request} and returns it with its response, counting it and telling the listener. */
    static SentRequest send(StreamContext context, RangeRequest request, String purpose) throws IOException {
        return send(context, request, eventOf(context, request, purpose));
    }

    /** Sends {@code request}, described by {@code event}, and returns it with its response. */
    static SentRequest send(StreamContext context, RangeRequest request, RangeEventListener.Request event)
            throws IOException {
        context.stats().addRequest();
        long started = System.nanoTime();
        context.events().requestStart(event);
        RangeResponse response;
        try {
            response = context.transport().send(request);
        } catch (IOException e) {
            context.events().requestFailed(event, e, 0, Duration.ofNanos(System.nanoTime() - started));
            throw e;
        }
        return new SentRequest(event, context, started, response);
    }

    /** The event describing this request. */
    RangeEventListener.Request event() {
        return event;
    }

    /** The response, whose {@link RangeResponse#body()} is not to be read: read {@link #body()}. */
    RangeResponse response() {
        return response;
    }

    int status() {
        return response.status();
    }

    /** The response body, counted. */
    CountedBody body() {
        return body;
    }

    /** The body as a plain stream, for code that takes over the whole body (the fallback's buffer). */
    InputStream bodyStream() {
        return body;
    }

    /**
     * Ends this request as failed ({@code requestFailed}) without closing it; the later {@link #close()}
     * tells nothing more.
     */
    void failed(IOException failure) {
        if (finish()) {
            context.events().requestFailed(event, failure, body.count(), elapsed());
        }
    }

    /**
     * Closes the response: bytes received but not read count as fetched, and unless it {@link #failed},
     * {@code requestEnd} is told. Never throws: a failure to close is logged.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        body.countUnread();
        try {
            response.close();
        } catch (IOException e) {
            LOG.debug("closing response {0}: {1}", response, e);
        }
        if (finish()) {
            context.events().requestEnd(event, response.status(), body.count(), elapsed());
        }
    }

    private synchronized boolean finish() {
        boolean first = !finished;
        finished = true;
        return first;
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
