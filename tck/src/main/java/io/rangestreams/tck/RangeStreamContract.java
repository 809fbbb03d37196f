package io.rangestreams.tck;

import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.TransportOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance rules R1 to R22 of {@link RangeStream} (stated in its javadoc), for one transport and
 * one store working together through {@link RangeClient}, against a {@link RangeServer} on 127.0.0.1
 * that injects {@link Fault}s. What it asserts is what the server saw (its request log) and the bytes
 * callers got, never the engine's internals. Certify a transport and store pair with a subclass:
 *
 * <pre>{@code
 * class MyStreamContractTest extends RangeStreamContract {
 *     @Override protected RangeTransport newTransport() { return new MyTransport(); }
 *     @Override protected RangeStore newStore(Path dir) { return new MyRangeStore(dir.resolve("cache")); }
 * }
 * }</pre>
 *
 * <p>Override {@link #configuredTransport(TransportOptions)} if the transport can be built from
 * options: the streams then use short timeouts, so a broken backend fails fast.
 *
 * <p>Override {@link #newStore(Path, long)} too if the store can be bounded: rule R19 then reads
 * through a small store, so eviction happens while 16 threads read. Test methods are final: a rule
 * cannot be overridden away.
 */
public abstract class RangeStreamContract {

    /** A fresh directory for the store's files, one per test. */
    @TempDir
    protected Path dir;

    /** The server of the current test. */
    protected RangeServer server;

    /** What the rules opened in the current test; closed after it. */
    final List<AutoCloseable> opened = new ArrayList<>();

    /** A new transport with its default settings; the contract closes it (through its client). */
    protected abstract RangeTransport newTransport();

    /**
     * A new transport configured with {@code options}, if the transport can be built from options; the
     * default has none, and {@link #newTransport()} is used.
     */
    protected Optional<RangeTransport> configuredTransport(TransportOptions options) {
        return Optional.empty();
    }

    /** A new store whose files (if any) live under {@code dir}; the contract closes it. */
    protected abstract RangeStore newStore(Path dir) throws IOException;

    /**
     * A store holding at most {@code maxBytes}. The default returns {@link #newStore(Path)}: rule R19
     * then runs without eviction.
     */
    protected RangeStore newStore(Path dir, long maxBytes) throws IOException {
        return newStore(dir);
    }

    @BeforeEach
    final void startServer() throws IOException {
        server = RangeServer.start();
        server.add(StreamFixture.PATH, StreamFixture.LENGTH);
    }

    @AfterEach
    final void stopServer() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        server.close();
    }

    /** R1 to R5: bytes, length, gaps and the end. */
    @Nested
    @DisplayName("R1-R5 reading")
    class Reading extends StreamReadingRules {
        Reading() {
            super(RangeStreamContract.this);
        }
    }

    /** R6 to R9, R11: views, counters, statuses and lifecycle. */
    @Nested
    @DisplayName("R6-R11 views, stats, statuses, lifecycle")
    class ViewsAndLifecycle extends StreamViewsAndLifecycleRules {
        ViewsAndLifecycle() {
            super(RangeStreamContract.this);
        }
    }

    /** R10, R12 to R14: servers that ignore ranges, cut bodies short or change the file. */
    @Nested
    @DisplayName("R10, R12-R14 fallback, resume, change")
    class FallbackResumeChange extends StreamFallbackResumeChangeRules {
        FallbackResumeChange() {
            super(RangeStreamContract.this);
        }
    }

    /** R15 to R17: statuses to retry, bad answers and odd encodings. */
    @Nested
    @DisplayName("R15-R17 retries and bad answers")
    class RetriesAndBadAnswers extends StreamRetriesAndBadAnswersRules {
        RetriesAndBadAnswers() {
            super(RangeStreamContract.this);
        }
    }

    /** R18 to R22: bad input, concurrency and long sequential reads. */
    @Nested
    @DisplayName("R18-R22 bad input, concurrency, long sequential reads")
    class BadInputAndConcurrency extends StreamBadInputAndConcurrencyRules {
        BadInputAndConcurrency() {
            super(RangeStreamContract.this);
        }
    }
}
