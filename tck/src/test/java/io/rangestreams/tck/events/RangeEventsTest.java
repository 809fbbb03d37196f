package io.rangestreams.tck.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeEventListener;
import io.rangestreams.RangeStream;
import io.rangestreams.storage.memory.MemoryRangeStore;
import io.rangestreams.tck.Fault;
import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The events a listener is told, in order, for a read, a retry, a revalidation and the fallback. */
class RangeEventsTest {

    private static final int LENGTH = 1 << 20;

    private RangeServer server;
    private final Recorder recorder = new Recorder();

    @BeforeEach
    void start() throws IOException {
        server = RangeServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RangeClient client(String transport, MemoryRangeStore store) {
        return RangeClient.builder().transport(transport).store(store).eventListener(recorder).build();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jdk", "okhttp", "apache"})
    void aReadIsOneRequestAndARereadIsServedFromTheStore(String transport) throws IOException {
        URI uri = server.add("/read.bin", LENGTH);
        try (RangeClient client = client(transport, new MemoryRangeStore());
                RangeStream stream = client.open(uri)) {
            stream.read(Range.of(0, 100));
            stream.read(Range.of(10, 60));
            assertThat(recorder.lines()).as("%s: events of a first read and a re-read", transport).containsExactly(
                    "start GET bytes=0-65535 fetch",
                    "end 206 65536",
                    "fromStore 50");
            assertThat(stream.stats().bytesFetched()).as("%s: bytes fetched vs the events' body bytes", transport)
                    .isEqualTo(recorder.bodyBytes());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jdk", "okhttp", "apache"})
    void a503IsRetriedAfterABackoff(String transport) throws IOException {
        URI uri = server.add("/busy.bin", LENGTH);
        // Without Retry-After: OkHttp itself re-sends a 503 that says "Retry-After: 0".
        server.fault("/busy.bin", Fault.Status.of(503, 1));
        try (RangeClient client = client(transport, new MemoryRangeStore());
                RangeStream stream = client.open(uri)) {
            byte[] bytes = stream.read(Range.of(0, 100));
            assertThat(bytes).as("%s: bytes after a 503", transport).isEqualTo(server.expected("/busy.bin",
                    Range.of(0, 100)));
            assertThat(recorder.lines()).as("%s: events of a read answered 503 once", transport).containsExactly(
                    "start GET bytes=0-65535 fetch",
                    "end 503",
                    "retry 2 503 PT0.1S",
                    "start GET bytes=0-65535 fetch",
                    "end 206 65536");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jdk", "okhttp", "apache"})
    void heldBytesAreRevalidatedOnceByANewStream(String transport) throws IOException {
        URI uri = server.add("/held.bin", LENGTH);
        try (RangeClient client = client(transport, new MemoryRangeStore())) {
            try (RangeStream first = client.open(uri)) {
                first.read(Range.of(0, 100));
            }
            recorder.clear();
            try (RangeStream second = client.open(uri)) {
                second.read(Range.of(0, 100));
                second.read(Range.of(0, 100));
            }
            assertThat(recorder.lines()).as("%s: events of a new stream reading held bytes twice", transport)
                    .containsExactly(
                            "start HEAD  validate",
                            "end 304 0",
                            "revalidated true",
                            "fromStore 100",
                            "fromStore 100");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jdk", "okhttp", "apache"})
    void aServerIgnoringRangeIsReadThroughTheFallback(String transport) throws IOException {
        URI uri = server.add("/whole.bin", LENGTH);
        server.fault("/whole.bin", new Fault.IgnoreRange());
        long fetched;
        try (RangeClient client = client(transport, new MemoryRangeStore());
                RangeStream stream = client.open(uri)) {
            byte[] bytes = stream.read(Range.of(500_000, 500_100));
            assertThat(bytes).as("%s: bytes through the fallback", transport).isEqualTo(server.expected("/whole.bin",
                    Range.of(500_000, 500_100)));
            assertThat(recorder.lines()).as("%s: events while the fallback's body is open", transport)
                    .containsExactly(
                            "start GET bytes=458752-524287 fetch",
                            "fallback 200");
            stream.close();
            fetched = stream.stats().bytesFetched();
        }
        assertThat(recorder.lines()).as("%s: events once the stream is closed", transport).containsExactly(
                "start GET bytes=458752-524287 fetch",
                "fallback 200",
                "end 200");
        assertThat(recorder.bodyBytes()).as("%s: the fallback's body bytes, as the stats count them", transport)
                .isEqualTo(fetched)
                .isBetween(500_100L, (long) LENGTH);
    }

    /** Writes each event as one line; body bytes of a 206 are in its line, the rest are summed apart. */
    private static final class Recorder implements RangeEventListener {
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final List<Long> bytes = new CopyOnWriteArrayList<>();

        List<String> lines() {
            return List.copyOf(lines);
        }

        long bodyBytes() {
            return bytes.stream().mapToLong(Long::longValue).sum();
        }

        void clear() {
            lines.clear();
            bytes.clear();
        }

        @Override
        public void requestStart(Request request) {
            lines.add("start " + request.method() + " " + request.range() + " " + request.purpose());
        }

        @Override
        public void requestEnd(Request request, int status, long bodyBytes, Duration elapsed) {
            lines.add("end " + status + (status == 206 || status == 304 ? " " + bodyBytes : ""));
            bytes.add(bodyBytes);
        }

        @Override
        public void requestFailed(Request request, IOException failure, long bodyBytes, Duration elapsed) {
            lines.add("failed " + failure);
            bytes.add(bodyBytes);
        }

        @Override
        public void retry(Request request, int attempt, String reason, Duration delay) {
            lines.add("retry " + attempt + " " + reason + " " + delay);
        }

        @Override
        public void revalidated(URI uri, boolean unchanged) {
            lines.add("revalidated " + unchanged);
        }

        @Override
        public void servedFromStore(URI uri, long bytes) {
            lines.add("fromStore " + bytes);
        }

        @Override
        public void versionChanged(URI uri, String before, String after) {
            lines.add("versionChanged");
        }

        @Override
        public void fallback(URI uri, int status) {
            lines.add("fallback " + status);
        }
    }
}
