package io.rangestreams.tck;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.TransportOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What the rules of {@link RangeStreamContract} share: the contract's hooks, server and directory, and the
 * clients and streams the rules use (closed by the contract).
 */
abstract class StreamFixture {

    static final String PATH = "/tck/stream.bin";
    static final int LENGTH = 50_000;
    static final int BLOCK = 1024;

    final RangeStreamContract contract;

    StreamFixture(RangeStreamContract contract) {
        this.contract = contract;
    }

    RangeServer server() {
        return contract.server;
    }

    Path dir() {
        return contract.dir;
    }

    RangeTransport newTransport() {
        return contract.newTransport();
    }

    Optional<RangeTransport> configuredTransport(TransportOptions options) {
        return contract.configuredTransport(options);
    }

    RangeStore newStore(Path dir) throws IOException {
        return contract.newStore(dir);
    }

    RangeStore newStore(Path dir, long maxBytes) throws IOException {
        return contract.newStore(dir, maxBytes);
    }

    TransportOptions transportOptions() {
        // Long enough never to fail a healthy request on a loaded machine; a hang still ends.
        return TransportOptions.defaults().withConnectTimeout(Duration.ofSeconds(30)).withReadTimeout(Duration.ofSeconds(60));
    }

    /**
     * A client over a new transport and store, with small blocks (so alignment stays visible), no
     * readahead growth worth mentioning, and fast retries; {@code tune} adjusts it.
     */
    RangeClient client(UnaryOperator<RangeClient.Builder> tune) throws IOException {
        return client(newStore(dir()), tune);
    }

    RangeClient client(RangeStore store, UnaryOperator<RangeClient.Builder> tune) {
        RangeClient.Builder b = RangeClient.builder()
                .transport(configuredTransport(transportOptions()).orElseGet(this::newTransport))
                .store(store)
                .blockSize(BLOCK)
                .readahead(0, BLOCK)
                .maxGap(0)
                .retries(3)
                .retryAfterCap(Duration.ofMillis(20));
        RangeClient c = tune.apply(b).build();
        contract.opened.add(c);
        return c;
    }

    RangeClient client() throws IOException {
        return client(UnaryOperator.identity());
    }

    /**
     * A client whose sequential readers stream soon: windows of 64 KiB to 256 KiB, then streamed
     * requests of 32 windows (8 MiB), so a 16 MiB read takes several.
     */
    RangeClient streamingClient() throws IOException {
        return client(b -> b.blockSize(64 * 1024).readahead(64 * 1024, 256 << 10).maxRequestSize(4 << 20));
    }

    RangeStream open(RangeClient c) {
        RangeStream s = c.open(uri());
        contract.opened.add(s);
        return s;
    }

    URI uri() {
        return server().uri(PATH);
    }

    byte[] expected(Range r) {
        return server().expected(PATH, r);
    }

    /** {@code jdk x memory}: names the pair in every assertion. */
    static String label(RangeClient c) {
        return c.transport().name() + " x " + c.store().name();
    }

    List<RangeServer.RecordedRequest> gets() {
        return server().requests(PATH).stream().filter(r -> r.method().equals("GET")).toList();
    }

    /**
     * Whether a thread waits for another's work: parked in a future or in {@code Object.wait} (not
     * merely blocked on a lock or running).
     */
    static boolean parked(Thread t) {
        Thread.State state = t.getState();
        if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
            return false;
        }
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("java.util.concurrent.CompletableFuture")
                    || e.getClassName().equals("java.lang.Object") && e.getMethodName().equals("wait")) {
                return true;
            }
        }
        return false;
    }
}
