package io.rangestreams.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.ChangePolicy;
import io.rangestreams.HttpStatusException;
import io.rangestreams.Range;
import io.rangestreams.RangeEventListener;
import io.rangestreams.RangeSet;
import io.rangestreams.RangeStreamException;
import io.rangestreams.Revalidation;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The engine's parts seen through one stream over an in-memory transport (no network). */
class EngineTest {

    private static final int KIB = 1024;
    private static final URI URI_ = URI.create("http://fake.test/file.bin");

    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "engine-test");
        t.setDaemon(true);
        return t;
    });
    private final List<String> retries = new CopyOnWriteArrayList<>();
    private final RangeEventListener listener = new RangeEventListener() {
        @Override
        public void retry(Request request, int attempt, String reason, Duration delay) {
            retries.add(request.purpose() + " " + attempt + " " + reason);
        }
    };

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private static EngineOptions options(int retries, long readahead) {
        return new EngineOptions(64 * KIB, readahead, readahead, 64 * KIB, 32L * KIB * KIB, 4, retries,
                Duration.ofMillis(20), 5L * KIB * KIB, OptionalLong.empty(), Optional.empty(), Revalidation.ONCE, ChangePolicy.REFETCH, 1);
    }

    private HttpRangeStream open(FakeTransport transport, HeapStore store, EngineOptions options) {
        return new HttpRangeStream(URI_, transport, store, options, executor, listener);
    }

    @Nested
    class Retrying {

        @Test
        void a503IsRetriedUntilTheBytesCome() throws IOException {
            FakeTransport t = new FakeTransport(256 * KIB);
            t.answer(503, 503);
            try (HttpRangeStream s = open(t, new HeapStore(), options(3, 64 * KIB))) {
                assertThat(s.read(Range.of(0, 100))).as("bytes after two 503s").isEqualTo(t.expected(Range.of(0, 100)));
            }
            assertThat(t.rangeHeaders()).as("requests").containsExactly("GET bytes=0-65535", "GET bytes=0-65535",
                    "GET bytes=0-65535");
            assertThat(retries).as("retry events").containsExactly("fetch 2 503", "fetch 3 503");
        }

        @Test
        void aCutBodyIsResumedFromItsLastByte() throws IOException {
            FakeTransport t = new FakeTransport(256 * KIB);
            t.cutNextBodyAfter(1000);
            try (HttpRangeStream s = open(t, new HeapStore(), options(3, 64 * KIB))) {
                assertThat(s.read(Range.of(0, 5000))).as("bytes of a cut body").isEqualTo(t.expected(Range.of(0, 5000)));
            }
            assertThat(t.rangeHeaders()).as("requests").containsExactly("GET bytes=0-65535", "GET bytes=1000-65535");
            assertThat(retries).as("retry events").containsExactly("fetch 2 body cut short after 1000 bytes");
        }

        @Test
        void aSuffixRequestIsRetriedToo() throws IOException {
            FakeTransport t = new FakeTransport(256 * KIB);
            t.answer(503);
            try (HttpRangeStream s = open(t, new HeapStore(), options(3, 64 * KIB))) {
                assertThat(s.read(Range.suffix(22))).as("footer after a 503")
                        .isEqualTo(t.expected(Range.of(256 * KIB - 22, 256 * KIB)));
            }
            assertThat(t.rangeHeaders()).as("requests").containsExactly("GET bytes=-65536", "GET bytes=-65536");
        }

        @Test
        void eachParallelRequestOfAFetchAllIsRetried() throws IOException {
            FakeTransport t = new FakeTransport(1024 * KIB);
            try (HttpRangeStream s = open(t, new HeapStore(), options(3, 64 * KIB))) {
                s.length();
                t.answer(503, 503);
                List<Range> wanted = List.of(Range.of(0, 10), Range.of(300 * KIB, 300 * KIB + 10),
                        Range.of(700 * KIB, 700 * KIB + 10));
                s.fetchAll(wanted);
                assertThat(s.ranges()).as("held after fetchAll with two 503s").isEqualTo(RangeSet.ofAll(wanted));
            }
            assertThat(retries).as("retry events").hasSize(2);
        }

        @Test
        void theBudgetEndsInTheStatus() throws IOException {
            FakeTransport t = new FakeTransport(256 * KIB);
            t.answer(503, 503, 503);
            try (HttpRangeStream s = open(t, new HeapStore(), options(2, 64 * KIB))) {
                assertThatThrownBy(() -> s.read(Range.of(0, 100))).as("three 503s with a budget of two retries")
                        .isInstanceOf(HttpStatusException.class).hasMessageContaining("503");
            }
        }
    }

    @Nested
    class SingleFlights {

        @Test
        void readersOfOneGapShareOneRequest() throws Exception {
            FakeTransport t = new FakeTransport(1024 * KIB);
            try (HttpRangeStream s = open(t, new HeapStore(), options(3, 64 * KIB))) {
                s.length();
                CountDownLatch gate = new CountDownLatch(1);
                t.holdUntil(gate);
                Future<byte[]> first = executor.submit(() -> s.read(Range.of(500 * KIB, 500 * KIB + 100)));
                while (t.requests().size() < 2) {
                    Thread.onSpinWait(); // the first reader's request is held at the gate
                }
                Thread[] second = new Thread[1];
                Future<byte[]> other = executor.submit(() -> {
                    second[0] = Thread.currentThread();
                    return s.read(Range.of(500 * KIB + 10, 500 * KIB + 50));
                });
                while (second[0] == null || second[0].getState() != Thread.State.WAITING) {
                    Thread.onSpinWait(); // until the second reader waits for the first one's request
                }
                gate.countDown();
                assertThat(first.get()).as("first reader").isEqualTo(t.expected(Range.of(500 * KIB, 500 * KIB + 100)));
                assertThat(other.get()).as("second reader").isEqualTo(t.expected(Range.of(500 * KIB + 10, 500 * KIB + 50)));
            }
            assertThat(t.rangeHeaders()).as("requests: HEAD, then one GET for both readers")
                    .containsExactly("HEAD -", "GET bytes=458752-524287");
        }
    }

    @Nested
    class Streaming {

        @Test
        void aLongSequentialReadStreamsInFewRequests() throws IOException {
            int length = 8 * 1024 * KIB;
            FakeTransport t = new FakeTransport(length);
            long read = 0;
            try (HttpRangeStream s = open(t, new HeapStore(), options(3, 256 * KIB));
                    InputStream in = s.inputStream()) {
                byte[] buf = new byte[64 * KIB];
                int n;
                while ((n = in.read(buf)) > 0) {
                    assertThat(java.util.Arrays.copyOf(buf, n)).as("bytes at %d", read)
                            .isEqualTo(t.expected(Range.of(read, read + n)));
                    read += n;
                }
                assertThat(s.stats().bytesFetched()).as("bytes fetched for one sequential read").isEqualTo(length);
            }
            assertThat(read).as("bytes read").isEqualTo(length);
            assertThat(t.requests()).as("requests for 8 MiB in windows of 256 KiB: %s", t.rangeHeaders())
                    .hasSizeLessThan(8);
        }

        @Test
        void aStreamItsReaderLeavesIsGivenUpUnread() throws IOException {
            int length = 16 * 1024 * KIB;
            FakeTransport t = new FakeTransport(length);
            try (HttpRangeStream s = open(t, new HeapStore(), options(3, 256 * KIB));
                    InputStream in = s.inputStream()) {
                byte[] buf = new byte[64 * KIB];
                for (int read = 0; read < 3 * 1024 * KIB; read += in.readNBytes(buf, 0, buf.length)) {
                    // reads sequentially until the readahead streams
                }
                FakeTransport.Body stream = t.bodies().stream()
                        .filter(b -> b.request.ranges().get(0).length() > 1024 * KIB)
                        .findFirst().orElseThrow(() -> new AssertionError("no streamed request in " + t.rangeHeaders()));
                while (!stream.closed()) {
                    Thread.onSpinWait(); // the reader has stopped: the stream is given up when idle
                }
                assertThat(stream.consumed()).as("bytes read of the given-up stream %s", stream.request)
                        .isLessThan((int) stream.request.ranges().get(0).length());
            }
        }

        @Test
        void phasesSayWhoReadsAStream() {
            InFlight f = new InFlight(Range.of(0, 10), true, 100, "readahead");
            assertThat(f.readerDriven()).as("a new stream").isFalse();
            f.phase = InFlight.Phase.READER_ASKED;
            assertThat(f.readerDriven()).as("a reader asked").isTrue();
            f.phase = InFlight.Phase.STOPPED;
            assertThat(f.readerDriven()).as("stopped").isFalse();
            assertThat(f.brings()).as("what a stream without a body yet brings").isEqualTo(Range.of(0, 10));
        }
    }

    @Nested
    class Exchanges {

        @Test
        void anEncodedBodyIsAnErrorNamingTheEncoding() throws IOException {
            FakeTransport t = new FakeTransport(256 * KIB);
            t.encodeAs("gzip");
            try (HttpRangeStream s = open(t, new HeapStore(), options(3, 64 * KIB))) {
                assertThatThrownBy(() -> s.read(Range.of(0, 100))).as("a 206 with Content-Encoding gzip")
                        .isInstanceOf(RangeStreamException.class).hasMessageContaining("Content-Encoding gzip");
                assertThat(s.ranges()).as("bytes held after an encoded body").isEqualTo(RangeSet.EMPTY);
            }
        }
    }

    @Nested
    class Versions {

        @Test
        void aChangedFileIsRefetchedNotMixed() throws IOException {
            FakeTransport t = new FakeTransport(256 * KIB);
            HeapStore store = new HeapStore();
            try (HttpRangeStream s = open(t, store, options(3, 64 * KIB))) {
                s.read(Range.of(0, 100));
            }
            t.change();
            try (HttpRangeStream s = open(t, store, options(3, 64 * KIB))) {
                assertThat(s.read(Range.of(0, 100))).as("bytes after the change").isEqualTo(t.expected(Range.of(0, 100)));
                assertThat(s.resource().etag()).as("etag served after the change").hasValue("\"v2\"");
            }
            assertThat(t.rangeHeaders()).as("requests: first read; then the held bytes checked, refetched")
                    .containsExactly("GET bytes=0-65535", "HEAD -", "GET bytes=0-65535");
        }
    }
}
