package io.rangestreams;

import io.rangestreams.internal.Log;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Tells several listeners each event, in order; one that throws is logged and does not stop the rest. */
final class RangeEventListeners implements RangeEventListener {

    private static final Log LOG = Log.of(RangeEventListener.class);

    private final List<RangeEventListener> listeners;

    RangeEventListeners(List<RangeEventListener> listeners) {
        this.listeners = listeners;
    }

    private void each(Consumer<RangeEventListener> event) {
        for (RangeEventListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.warning("event listener " + listener + " threw", e);
            }
        }
    }

    @Override
    public void requestStart(Request request) {
        each(l -> l.requestStart(request));
    }

    @Override
    public void requestEnd(Request request, int status, long bodyBytes, Duration elapsed) {
        each(l -> l.requestEnd(request, status, bodyBytes, elapsed));
    }

    @Override
    public void requestFailed(Request request, IOException failure, long bodyBytes, Duration elapsed) {
        each(l -> l.requestFailed(request, failure, bodyBytes, elapsed));
    }

    @Override
    public void retry(Request request, int attempt, String reason, Duration delay) {
        each(l -> l.retry(request, attempt, reason, delay));
    }

    @Override
    public void revalidated(URI uri, boolean unchanged) {
        each(l -> l.revalidated(uri, unchanged));
    }

    @Override
    public void servedFromStore(URI uri, long bytes) {
        each(l -> l.servedFromStore(uri, bytes));
    }

    @Override
    public void versionChanged(URI uri, String before, String after) {
        each(l -> l.versionChanged(uri, before, after));
    }

    @Override
    public void fallback(URI uri, int status) {
        each(l -> l.fallback(uri, status));
    }
}
