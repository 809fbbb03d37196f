package io.rangestreams.tck.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.Range;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.tck.Fault;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Timeouts, connection reuse and limits, and closing, for each bundled transport. */
@ParameterizedClass(name = "{0}")
@EnumSource(TransportKind.class)
class TransportConnectionsTest extends TransportBehaviourFixture {

    TransportConnectionsTest(TransportKind kind) {
        super(kind);
    }

    @Nested
    class Timeouts {

        private final TransportOptions shortRead = TransportKind.options().withReadTimeout(Duration.ofMillis(500));

        @Test
        void aServerStallingMidBodyEndsInATimeout() throws IOException {
            server.fault(PATH, new Fault.SlowBody(16 * 1024, Duration.ofSeconds(30)));
            try (RangeTransport t = kind.create(shortRead)) {
                RangeResponse response = t.send(RangeRequest.get(uri, Range.of(0, 500_000)));
                assertThat(response.status()).as("%s status before the stall", kind).isEqualTo(206);
                assertThatThrownBy(() -> body(response))
                        .as("%s reading a body that stalls after 16 KiB", kind)
                        .isInstanceOf(IOException.class)
                        .satisfies(e -> assertThat(e.toString().toLowerCase(Locale.ROOT))
                                .as("%s timeout error", kind).containsAnyOf("timeout", "timed out"));
            }
        }

        @Test
        void aServerStallingBeforeTheHeadersEndsInATimeout() {
            server.fault(PATH, new Fault.Latency(Duration.ofSeconds(30)));
            try (RangeTransport t = kind.create(shortRead)) {
                assertThatThrownBy(() -> t.send(RangeRequest.get(uri, Range.of(0, 10))))
                        .as("%s waiting for headers that never come", kind)
                        .isInstanceOf(IOException.class)
                        .satisfies(e -> assertThat(e.toString().toLowerCase(Locale.ROOT))
                                .as("%s timeout error", kind).containsAnyOf("timeout", "timed out"));
            }
        }

        @Test
        void aRefusedConnectionIsAnIOException() throws IOException {
            URI closed = closedPortUri();
            try (RangeTransport t = transport()) {
                assertThatThrownBy(() -> t.send(RangeRequest.get(closed, Range.of(0, 10))))
                        .as("%s connecting to %s", kind, closed)
                        .isInstanceOf(IOException.class);
            }
        }
    }

    @Nested
    class Connections {

        @Test
        void reusesConnectionsAcross200SequentialRequests() throws IOException {
            try (RangeTransport t = transport()) {
                for (int i = 0; i < 200; i++) {
                    Range range = Range.of(i * 4096L, i * 4096L + 4096);
                    assertThat(body(t.send(RangeRequest.get(uri, range)))).as("%s body of %s", kind, range)
                            .isEqualTo(expected(range));
                }
            }
            assertThat(server.connectionsAccepted()).as("%s connections for 200 sequential requests", kind)
                    .isLessThanOrEqualTo(3);
        }

        @Test
        void givesEachOf32ThreadsSharingOneTransportItsOwnExactBytes() throws Exception {
            assertConcurrentReadsAreExact(transport(), 32, 10);
        }

        @Test
        void keepsToTheConfiguredMaximumOfConnections() throws Exception {
            assertConcurrentReadsAreExact(kind.create(TransportKind.options().withMaxConnections(4)), 32, 5);
            assertThat(server.connectionsAccepted()).as("%s connections with maxConnections 4 and 32 threads", kind)
                    .isLessThanOrEqualTo(4);
        }

        private void assertConcurrentReadsAreExact(RangeTransport transport, int threads, int each) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            try (transport) {
                List<Future<?>> results = new ArrayList<>();
                for (int thread = 0; thread < threads; thread++) {
                    int id = thread;
                    results.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < each; i++) {
                            long from = (id * 7919L + i * 104_729L) % (LENGTH - 20_000);
                            Range range = Range.of(from, from + 1000 + id * 300L + i);
                            assertThat(body(transport.send(RangeRequest.get(uri, range))))
                                    .as("%s thread %d body of %s", kind, id, range).isEqualTo(expected(range));
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : results) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        void closeIsIdempotentAndSendAfterCloseIsRefused() {
            RangeTransport t = transport();
            t.close();
            t.close();
            assertThatThrownBy(() -> t.send(RangeRequest.get(uri, Range.of(0, 1))))
                    .as("%s send after close", kind).isInstanceOf(IllegalStateException.class);
        }
    }
}
