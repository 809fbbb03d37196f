package io.rangestreams.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.spi.RangeStore;
import io.rangestreams.storage.memory.MemoryRangeStore;
import io.rangestreams.tck.Fault;
import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.net.URI;
import java.util.Collection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The meters against {@link RangeServer}, through the JDK transport and a memory store. */
class MicrometerRangeEventListenerTest {

    private static final String PATH = "/file.bin";

    private RangeServer server;
    private SimpleMeterRegistry registry;
    private URI uri;

    @BeforeEach
    void start() throws IOException {
        server = RangeServer.start();
        registry = new SimpleMeterRegistry();
        uri = server.add(PATH, 1 << 20);
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    private RangeClient client(RangeStore store) {
        return RangeClient.builder()
                .transport("jdk")
                .store(store)
                .retryAfterCap(java.time.Duration.ofMillis(50))
                .eventListener(new MicrometerRangeEventListener(registry, Tags.of("client", "test")))
                .build();
    }

    /** Reads the ranges through one stream of a new client over a memory store; returns the stream's counters. */
    private RangeStream.Stats read(Range... ranges) throws IOException {
        try (RangeClient client = client(new MemoryRangeStore()); RangeStream stream = client.open(uri)) {
            for (Range r : ranges) {
                stream.read(r);
            }
            return stream.stats();
        }
    }

    private long gets() {
        return server.requests(PATH).stream().filter(r -> r.method().equals("GET")).count();
    }

    private double counter(String name) {
        return registry.get(MicrometerRangeEventListener.PREFIX + name).counter().count();
    }

    private Collection<Timer> requestTimers(String status) {
        return registry.find(MicrometerRangeEventListener.PREFIX + "requests")
                .tags("transport", "jdk", "status", status, "client", "test").timers();
    }

    private static long count(Collection<Timer> timers) {
        return timers.stream().mapToLong(Timer::count).sum();
    }

    @Nested
    class Requests {

        @Test
        void countsAndTimesRequestsByTransportAndStatus() throws IOException {
            read(Range.of(0, 1000), Range.of(500_000, 501_000));

            Collection<Timer> ok = requestTimers("206");
            assertThat(count(ok)).as("jdk: requests answered 206, against the GETs the server saw")
                    .isEqualTo(gets()).isPositive();
            assertThat(ok.stream().mapToDouble(t -> t.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).sum())
                    .as("jdk: time of the 206 requests").isPositive();
        }

        @Test
        void countsTheBytesTheServerSent() throws IOException {
            read(Range.of(0, 300_000));

            assertThat(counter("bytes.fetched")).as("jdk: bytes fetched against the bytes served")
                    .isEqualTo((double) server.bytesServed(PATH));
        }

        @Test
        void aRequestThatFailsIsTimedWithItsException() throws IOException {
            server.fault(PATH, new Fault.ResetConnection(1000, 1));
            read(Range.of(0, 100_000));

            assertThat(count(requestTimers("failed"))).as("jdk: requests cut by a reset after 1000 bytes")
                    .isEqualTo(1);
            assertThat(counter("retries")).as("jdk: retries after the reset").isEqualTo(1);
        }

        @Test
        void countsRetriesAndTheStatusThatCausedThem() throws IOException {
            server.fault(PATH, Fault.Status.of(503, 1));
            read(Range.of(0, 1000));

            assertThat(count(requestTimers("503"))).as("jdk: requests answered 503").isEqualTo(1);
            assertThat(counter("retries")).as("jdk: retries after one 503").isEqualTo(1);
        }
    }

    @Nested
    class Store {

        @Test
        void countsBytesServedFromTheStore() throws IOException {
            long fromStore = read(Range.of(0, 1000), Range.of(0, 1000)).bytesFromStore();

            assertThat(counter("bytes.from.store")).as("jdk: bytes from the store against the stream's stats")
                    .isEqualTo((double) fromStore).isPositive();
        }

        @Test
        void countsRevalidationsOfHeldBytes() throws IOException {
            MemoryRangeStore store = new MemoryRangeStore();
            try (RangeClient client = client(store)) {
                try (RangeStream first = client.open(uri)) {
                    first.read(Range.of(0, 1000));
                }
                try (RangeStream second = client.open(uri)) {
                    second.read(Range.of(0, 1000));
                }
            }

            assertThat(registry.get(MicrometerRangeEventListener.PREFIX + "revalidations")
                    .tags("result", "unchanged").counter().count())
                    .as("jdk: a second stream over held bytes of an unchanged file").isEqualTo(1);
        }
    }

    @Nested
    class Changes {

        @Test
        void countsVersionChanges() throws IOException {
            try (RangeClient client = client(new MemoryRangeStore()); RangeStream stream = client.open(uri)) {
                stream.read(Range.of(0, 1000));
                server.change(PATH);
                stream.read(Range.of(900_000, 901_000));
            }

            assertThat(counter("version.changes")).as("jdk: the file changed once between two reads").isEqualTo(1);
        }

        @Test
        void countsFallbacksForServersThatIgnoreRanges() throws IOException {
            server.fault(PATH, new Fault.IgnoreRange());
            read(Range.of(0, 1000));

            assertThat(counter("fallbacks")).as("jdk: a server that answers 200 to a range").isEqualTo(1);
        }
    }

    @Test
    void everyMeterCarriesTheCommonTags() throws IOException {
        read(Range.of(0, 1000));

        assertThat(registry.getMeters()).as("meters after one read").isNotEmpty()
                .allSatisfy(m -> assertThat(m.getId().getTag("client")).as(m.getId().getName()).isEqualTo("test"));
    }
}
