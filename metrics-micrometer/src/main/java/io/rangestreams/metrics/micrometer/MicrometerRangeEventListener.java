package io.rangestreams.metrics.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.rangestreams.RangeEventListener;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Binds a {@link io.rangestreams.RangeClient}'s events to Micrometer meters:
 *
 * <pre>{@code
 * MeterRegistry registry = ...;
 * RangeClient client = RangeClient.builder()
 *         .eventListener(new MicrometerRangeEventListener(registry))
 *         .build();
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code rangestreams.requests}</td><td>timer</td>
 *       <td>{@code transport}, {@code method}, {@code status}, {@code purpose}, {@code exception}</td>
 *       <td>each request from its start to the end of its body: counts by transport and status, and
 *       latency; {@code status} is {@code failed} (and {@code exception} the failure's class) for a
 *       request without a response or with a body cut short, {@code exception} is {@code none}
 *       otherwise</td></tr>
 *   <tr><td>{@code rangestreams.bytes.fetched}</td><td>counter (bytes)</td><td>{@code transport}</td>
 *       <td>response body bytes received, of failed requests too</td></tr>
 *   <tr><td>{@code rangestreams.bytes.from.store}</td><td>counter (bytes)</td><td></td>
 *       <td>bytes served to callers from the store, without a request</td></tr>
 *   <tr><td>{@code rangestreams.retries}</td><td>counter</td><td>{@code transport}, {@code purpose}</td>
 *       <td>requests sent again or resumed</td></tr>
 *   <tr><td>{@code rangestreams.revalidations}</td><td>counter</td><td>{@code result}:
 *       {@code unchanged} or {@code changed}</td><td>held bytes validated against the server</td></tr>
 *   <tr><td>{@code rangestreams.version.changes}</td><td>counter</td><td></td>
 *       <td>remote files found changed, their held bytes dropped</td></tr>
 *   <tr><td>{@code rangestreams.fallbacks}</td><td>counter</td><td></td>
 *       <td>servers found ignoring {@code Range}, read whole instead</td></tr>
 * </table>
 *
 * <p>Every meter also carries the common tags given to the constructor. URIs are never tags (there
 * would be no bound on their number). Thread-safe.
 */
public final class MicrometerRangeEventListener implements RangeEventListener {

    /** The prefix of every meter's name. */
    public static final String PREFIX = "rangestreams.";

    private final Meter.MeterProvider<Timer> requests;
    private final Meter.MeterProvider<Counter> bytesFetched;
    private final Meter.MeterProvider<Counter> retries;
    private final Meter.MeterProvider<Counter> revalidations;
    private final Counter bytesFromStore;
    private final Counter versionChanges;
    private final Counter fallbacks;

    /** Meters in {@code registry}, without common tags. */
    public MicrometerRangeEventListener(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /** Meters in {@code registry}, each with {@code tags} (which client, which application...). */
    public MicrometerRangeEventListener(MeterRegistry registry, Iterable<Tag> tags) {
        Objects.requireNonNull(registry, "registry");
        Tags common = Tags.of(Objects.requireNonNull(tags, "tags"));
        this.requests = Timer.builder(PREFIX + "requests")
                .description("HTTP requests sent, from start to the end of the body")
                .tags(common)
                .withRegistry(registry);
        this.bytesFetched = counter("bytes.fetched", "Response body bytes received", common)
                .baseUnit("bytes")
                .withRegistry(registry);
        this.retries = counter("retries", "Requests sent again, or resumed from the last byte received", common)
                .withRegistry(registry);
        this.revalidations = counter("revalidations", "Held bytes validated against the server", common)
                .withRegistry(registry);
        this.bytesFromStore = counter("bytes.from.store", "Bytes served to callers from the store, without a request",
                common)
                .baseUnit("bytes")
                .register(registry);
        this.versionChanges = counter("version.changes",
                "Remote files found changed: held bytes of the old version dropped", common)
                .register(registry);
        this.fallbacks = counter("fallbacks", "Servers found ignoring Range: the file read whole, spooled", common)
                .register(registry);
    }

    private static Counter.Builder counter(String name, String description, Tags common) {
        return Counter.builder(PREFIX + name).description(description).tags(common);
    }

    @Override
    public void requestEnd(Request request, int status, long bodyBytes, Duration elapsed) {
        requests.withTags(requestTags(request, Integer.toString(status), "none")).record(elapsed);
        fetched(request, bodyBytes);
    }

    @Override
    public void requestFailed(Request request, IOException failure, long bodyBytes, Duration elapsed) {
        requests.withTags(requestTags(request, "failed", failure.getClass().getSimpleName())).record(elapsed);
        fetched(request, bodyBytes);
    }

    private static Tags requestTags(Request request, String status, String exception) {
        return Tags.of("transport", request.transport(), "method", request.method(), "status", status,
                "purpose", request.purpose(), "exception", exception);
    }

    private void fetched(Request request, long bodyBytes) {
        if (bodyBytes > 0) {
            bytesFetched.withTags("transport", request.transport()).increment(bodyBytes);
        }
    }

    @Override
    public void retry(Request request, int attempt, String reason, Duration delay) {
        retries.withTags("transport", request.transport(), "purpose", request.purpose()).increment();
    }

    @Override
    public void revalidated(URI uri, boolean unchanged) {
        revalidations.withTags("result", unchanged ? "unchanged" : "changed").increment();
    }

    @Override
    public void servedFromStore(URI uri, long bytes) {
        bytesFromStore.increment(bytes);
    }

    @Override
    public void versionChanged(URI uri, String before, String after) {
        versionChanges.increment();
    }

    @Override
    public void fallback(URI uri, int status) {
        fallbacks.increment();
    }

    @Override
    public String toString() {
        return "MicrometerRangeEventListener";
    }
}
