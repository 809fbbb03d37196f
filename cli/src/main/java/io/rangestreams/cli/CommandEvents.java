package io.rangestreams.cli;

import io.rangestreams.RangeEventListener;
import io.rangestreams.RangeStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The client's events as the command line uses them: the totals of the {@code --stats} line, over every
 * stream of the command (several URLs included), and with {@code --verbose} one {@code debug:} line per
 * request, retry, revalidation, version change and fallback on standard error. Thread-safe.
 */
final class CommandEvents implements RangeEventListener {

    private final LongAdder requests = new LongAdder();
    private final LongAdder bytesFetched = new LongAdder();
    private final LongAdder bytesFromStore = new LongAdder();
    private final Optional<PrintStream> log;

    /** Events counted, and written to {@code log} if given. */
    CommandEvents(Optional<PrintStream> log) {
        this.log = log;
    }

    /** The totals so far: requests sent, body bytes received, bytes served from the store. */
    RangeStream.Stats stats() {
        return new RangeStream.Stats(requests.sum(), bytesFetched.sum(), bytesFromStore.sum());
    }

    @Override
    public void requestStart(Request request) {
        requests.increment();
    }

    @Override
    public void requestEnd(Request request, int status, long bodyBytes, Duration elapsed) {
        bytesFetched.add(bodyBytes);
        debug(describe(request) + " -> " + status + ", " + bodyBytes + " bytes in " + elapsed.toMillis() + " ms");
    }

    @Override
    public void requestFailed(Request request, IOException failure, long bodyBytes, Duration elapsed) {
        bytesFetched.add(bodyBytes);
        debug(describe(request) + " failed after " + bodyBytes + " bytes in " + elapsed.toMillis() + " ms: "
                + failure.getMessage());
    }

    @Override
    public void retry(Request request, int attempt, String reason, Duration delay) {
        debug(describe(request) + ": retry " + attempt + " in " + delay.toMillis() + " ms (" + reason + ")");
    }

    @Override
    public void revalidated(URI uri, boolean unchanged) {
        debug("revalidated " + uri + ": " + (unchanged ? "unchanged" : "changed"));
    }

    @Override
    public void servedFromStore(URI uri, long bytes) {
        bytesFromStore.add(bytes);
    }

    @Override
    public void versionChanged(URI uri, String before, String after) {
        debug(uri + " changed on the server: " + before + " -> " + after);
    }

    @Override
    public void fallback(URI uri, int status) {
        debug(uri + " answered a range request with " + status + ": reading it whole, spooled");
    }

    private static String describe(Request r) {
        return r.method() + " " + r.uri() + (r.range().isEmpty() ? "" : " " + r.range()) + " (" + r.purpose() + ", "
                + r.transport() + ")";
    }

    private void debug(String line) {
        log.ifPresent(err -> {
            synchronized (err) {
                err.println("debug: " + line);
            }
        });
    }
}
