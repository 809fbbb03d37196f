package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.ChangePolicy;
import io.rangestreams.HttpStatusException;
import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeNotSatisfiableException;
import io.rangestreams.RangeSet;
import io.rangestreams.RangeStream;
import io.rangestreams.RangeStreamException;
import io.rangestreams.ResourceChangedException;
import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.TransportOptions;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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

    private static final String PATH = "/tck/stream.bin";
    private static final int LENGTH = 50_000;
    private static final int BLOCK = 1024;

    /** A fresh directory for the store's files, one per test. */
    @TempDir
    protected Path dir;

    /** The server of the current test. */
    protected RangeServer server;

    private final List<AutoCloseable> opened = new ArrayList<>();

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
        server.add(PATH, LENGTH);
    }

    @AfterEach
    final void stopServer() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        server.close();
    }

    private TransportOptions transportOptions() {
        // Long enough never to fail a healthy request on a loaded machine; a hang still ends.
        return TransportOptions.defaults().withConnectTimeout(Duration.ofSeconds(30)).withReadTimeout(Duration.ofSeconds(60));
    }

    /**
     * A client over a new transport and store, with small blocks (so alignment stays visible), no
     * readahead growth worth mentioning, and fast retries; {@code tune} adjusts it.
     */
    private RangeClient client(UnaryOperator<RangeClient.Builder> tune) throws IOException {
        return client(newStore(dir), tune);
    }

    private RangeClient client(RangeStore store, UnaryOperator<RangeClient.Builder> tune) {
        RangeClient.Builder b = RangeClient.builder()
                .transport(configuredTransport(transportOptions()).orElseGet(this::newTransport))
                .store(store)
                .blockSize(BLOCK)
                .readahead(0, BLOCK)
                .maxGap(0)
                .retries(3)
                .retryAfterCap(Duration.ofMillis(20));
        RangeClient c = tune.apply(b).build();
        opened.add(c);
        return c;
    }

    private RangeClient client() throws IOException {
        return client(UnaryOperator.identity());
    }

    /**
     * A client whose sequential readers stream soon: windows of 64 KiB to 256 KiB, then streamed
     * requests of 32 windows (8 MiB), so a 16 MiB read takes several.
     */
    private RangeClient streamingClient() throws IOException {
        return client(b -> b.blockSize(64 * 1024).readahead(64 * 1024, 256 << 10).maxRequestSize(4 << 20));
    }

    private RangeStream open(RangeClient c) {
        RangeStream s = c.open(uri());
        opened.add(s);
        return s;
    }

    private URI uri() {
        return server.uri(PATH);
    }

    private byte[] expected(Range r) {
        return server.expected(PATH, r);
    }

    /** {@code jdk x memory}: names the pair in every assertion. */
    private static String label(RangeClient c) {
        return c.transport().name() + " x " + c.store().name();
    }

    private List<RangeServer.RecordedRequest> gets() {
        return server.requests(PATH).stream().filter(r -> r.method().equals("GET")).toList();
    }

    /** R1 to R5: bytes, length, gaps and the end. */
    @Nested
    @DisplayName("R1-R5 reading")
    class Reading {

        @Test
        @DisplayName("R1 every read returns exactly the server's bytes")
        final void readsAreExact() throws IOException {
            RangeClient c = client();
            RangeStream s = open(c);
            Random random = new Random(5);
            for (int i = 0; i < 60; i++) {
                long start = random.nextInt(LENGTH);
                long stop = Math.min(LENGTH, start + 1 + random.nextInt(3000));
                Range r = Range.of(start, stop);
                assertThat(s.read(r)).as("%s: read(%s)", label(c), r).isEqualTo(expected(r));
                ByteBuffer dst = ByteBuffer.allocate((int) r.length());
                int n = s.read(start, dst);
                assertThat(n).as("%s: read(%d, %d bytes) count", label(c), start, r.length()).isPositive();
                assertThat(java.util.Arrays.copyOf(dst.array(), n)).as("%s: read(%d, dst)", label(c), start)
                        .isEqualTo(expected(Range.of(start, start + n)));
            }
        }

        @Test
        @DisplayName("R2 opening with Range.EMPTY learns the length with one HEAD")
        final void lengthFromHead() throws IOException {
            RangeClient c = client();
            try (RangeStream s = c.open(uri(), Range.EMPTY)) {
                assertThat(s.length()).as("%s: length", label(c)).isEqualTo(LENGTH);
                assertThat(server.requests(PATH)).as("%s: requests to learn the length", label(c))
                        .extracting(RangeServer.RecordedRequest::method).containsExactly("HEAD");
            }
        }

        @Test
        @DisplayName("R2 when HEAD is refused, the length is learned with a ranged GET")
        final void lengthWhenHeadIsRefused() throws IOException {
            server.fault(PATH, new Fault.HeadRefused());
            RangeClient c = client();
            try (RangeStream s = c.open(uri(), Range.EMPTY)) {
                assertThat(s.length()).as("%s: length with HEAD refused", label(c)).isEqualTo(LENGTH);
                List<RangeServer.RecordedRequest> log = server.requests(PATH);
                assertThat(log).as("%s: requests with HEAD refused: %s", label(c), log).hasSize(2);
                assertThat(log.get(0).status()).as("%s: HEAD status", label(c)).isEqualTo(405);
                assertThat(log.get(1).method()).as("%s: the probe after HEAD", label(c)).isEqualTo("GET");
                assertThat(log.get(1).range()).as("%s: the probe is ranged", label(c)).isPresent();
                assertThat(s.read(Range.of(0, 100))).as("%s: first bytes after the probe", label(c))
                        .isEqualTo(expected(Range.of(0, 100)));
            }
        }

        @Test
        @DisplayName("R2 opening with a range learns the length from Content-Range, with no other request")
        final void lengthFromContentRange() throws IOException {
            RangeClient c = client();
            try (RangeStream s = c.open(uri(), Range.of(0, 10))) {
                assertThat(s.length()).as("%s: length", label(c)).isEqualTo(LENGTH);
                assertThat(server.requests(PATH)).as("%s: requests", label(c)).singleElement()
                        .satisfies(r -> assertThat(r.method()).as("%s: method", label(c)).isEqualTo("GET"));
            }
        }

        @Test
        @DisplayName("R3 a suffix range is sent as bytes=-n before the length is known; negative ranges work")
        final void suffixAndNegativeRanges() throws IOException {
            RangeClient c = client();
            RangeStream s = open(c);
            assertThat(s.read(Range.suffix(100))).as("%s: the last 100 bytes", label(c))
                    .isEqualTo(expected(Range.of(LENGTH - 100, LENGTH)));
            List<RangeServer.RecordedRequest> log = server.requests(PATH);
            assertThat(log.get(0).method()).as("%s: first request for a suffix: %s", label(c), log).isEqualTo("GET");
            assertThat(log.get(0).range().orElse("")).as("%s: Range header of the first request", label(c))
                    .matches("bytes=-\\d+");
            assertThat(s.read(Range.of(-3000, -2000))).as("%s: read [-3000, -2000)", label(c))
                    .isEqualTo(expected(Range.of(LENGTH - 3000, LENGTH - 2000)));
            assertThat(s.read(Range.of(-22, 0))).as("%s: read [-22, 0), the last 22 bytes", label(c))
                    .isEqualTo(expected(Range.of(LENGTH - 22, LENGTH)));
        }

        @Test
        @DisplayName("R4 fetch requests only the gaps: after [0, 100) is held, [50, 200) sends nothing overlapping it")
        final void fetchRequestsOnlyGaps() throws IOException {
            RangeClient c = client();
            RangeStream s = open(c);
            s.fetch(Range.of(0, 100));
            RangeSet held = s.ranges();
            assertThat(held.encloses(Range.of(0, 100))).as("%s: ranges() after fetch [0, 100): %s", label(c), held)
                    .isTrue();
            int before = server.requests(PATH).size();
            s.fetch(Range.of(50, 200));
            s.fetch(Range.of(5000, 6000));
            s.fetch(Range.of(100, 7000));
            for (RangeServer.RecordedRequest r : server.requests(PATH).subList(before, server.requests(PATH).size())) {
                Range asked = r.askedRange().orElseThrow(() -> new AssertionError(label(c) + ": request without one"
                        + " range: " + r));
                assertThat(held.intersect(asked.isResolved() ? asked : Range.of(0, LENGTH)).isEmpty())
                        .as("%s: request %s overlaps %s, held before", label(c), r.range().orElse(""), held).isTrue();
            }
            assertThat(s.ranges().encloses(Range.of(0, 7000))).as("%s: ranges() after the fetches: %s", label(c),
                    s.ranges()).isTrue();
            int after = server.requests(PATH).size();
            s.fetch(Range.of(10, 6999));
            assertThat(server.requests(PATH)).as("%s: requests for bytes already held", label(c)).hasSize(after);
        }

        @Test
        @DisplayName("R5 past the end: EOFException, -1, RangeNotSatisfiableException")
        final void pastTheEnd() throws IOException {
            RangeClient c = client();
            RangeStream s = open(c);
            assertThatThrownBy(() -> s.read(Range.of(LENGTH - 10, LENGTH + 10))).as("%s: read running past the end",
                    label(c)).isInstanceOf(EOFException.class);
            assertThat(s.read(LENGTH, ByteBuffer.allocate(10))).as("%s: read(length, dst)", label(c)).isEqualTo(-1);
            assertThat(s.read(LENGTH + 5, ByteBuffer.allocate(10))).as("%s: read(length + 5, dst)", label(c))
                    .isEqualTo(-1);
            ByteBuffer tail = ByteBuffer.allocate(100);
            assertThat(s.read(LENGTH - 10, tail)).as("%s: read(length - 10, 100 bytes)", label(c)).isEqualTo(10);
            assertThatThrownBy(() -> s.fetch(Range.of(LENGTH + 10, LENGTH + 20)))
                    .as("%s: fetch wholly past the end", label(c)).isInstanceOf(RangeNotSatisfiableException.class);
            s.fetch(Range.of(LENGTH - 5, LENGTH + 100));
            assertThat(s.ranges().encloses(Range.of(LENGTH - 5, LENGTH))).as("%s: fetch clipped to the end", label(c))
                    .isTrue();
        }
    }

    /** R6 to R9, R11: views, counters, statuses and lifecycle. */
    @Nested
    @DisplayName("R6-R11 views, stats, statuses, lifecycle")
    class ViewsAndLifecycle {

        @Test
        @DisplayName("R6 channel() honours SeekableByteChannel")
        final void channel() throws IOException {
            RangeClient c = client();
            RangeStream s = open(c);
            SeekableByteChannel ch = s.channel();
            assertThat(ch.position()).as("%s: initial position", label(c)).isZero();
            assertThat(ch.size()).as("%s: size", label(c)).isEqualTo(LENGTH);
            ByteBuffer dst = ByteBuffer.allocate(500);
            ch.position(20_000);
            int n = ch.read(dst);
            assertThat(java.util.Arrays.copyOf(dst.array(), n)).as("%s: read at 20000", label(c))
                    .isEqualTo(expected(Range.of(20_000, 20_000 + n)));
            assertThat(ch.position()).as("%s: position after reading %d bytes", label(c), n).isEqualTo(20_000 + n);
            ch.position(LENGTH - 3);
            dst.clear();
            assertThat(ch.read(dst)).as("%s: read of the last 3 bytes", label(c)).isEqualTo(3);
            dst.clear();
            assertThat(ch.read(dst)).as("%s: read at the end", label(c)).isEqualTo(-1);
            ch.position(LENGTH + 100);
            assertThat(ch.read(ByteBuffer.allocate(5))).as("%s: read past the end", label(c)).isEqualTo(-1);
            assertThatThrownBy(() -> ch.position(-1)).as("%s: position(-1)", label(c))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ch.write(ByteBuffer.allocate(1))).as("%s: write", label(c))
                    .isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> ch.truncate(1)).as("%s: truncate", label(c))
                    .isInstanceOf(NonWritableChannelException.class);
            SeekableByteChannel other = s.channel();
            assertThat(other.position()).as("%s: a second channel has its own position", label(c)).isZero();
            ch.close();
            ch.close();
            assertThat(ch.isOpen()).as("%s: isOpen after close", label(c)).isFalse();
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1))).as("%s: read after close", label(c))
                    .isInstanceOf(ClosedChannelException.class);
            assertThatThrownBy(ch::position).as("%s: position after close", label(c))
                    .isInstanceOf(ClosedChannelException.class);
        }

        @Test
        @DisplayName("R7 inputStream() reads from start to end, honouring skip")
        final void inputStream() throws IOException {
            RangeClient c = client();
            RangeStream s = open(c);
            try (InputStream in = s.inputStream()) {
                assertThat(in.readNBytes(1000)).as("%s: first 1000 bytes", label(c)).isEqualTo(expected(Range.of(0, 1000)));
                assertThat(in.skip(10_000)).as("%s: skip(10000)", label(c)).isEqualTo(10_000);
                assertThat(in.read()).as("%s: read() at 11000", label(c)).isEqualTo(expected(Range.of(11_000, 11_001))[0] & 0xff);
                assertThat(in.available()).as("%s: available()", label(c)).isNotNegative();
                assertThat(in.readAllBytes()).as("%s: the rest", label(c)).isEqualTo(expected(Range.of(11_001, LENGTH)));
                assertThat(in.read()).as("%s: read() at the end", label(c)).isEqualTo(-1);
            }
        }

        @Test
        @DisplayName("R8 stats() counts requests, bytes fetched and bytes from the store truthfully")
        final void statsAreTruthful() throws IOException {
            RangeClient c = client();
            RangeStream s = open(c);
            s.read(Range.of(1000, 5000));
            s.read(Range.of(30_000, 31_000));
            RangeStream.Stats first = s.stats();
            assertThat(first.requests()).as("%s: requests counted vs the server's log", label(c))
                    .isEqualTo(server.requests(PATH).size());
            assertThat(first.bytesFetched()).as("%s: bytes fetched vs bytes the server sent", label(c))
                    .isEqualTo(server.bytesServed(PATH));
            s.read(Range.of(1500, 4500));
            RangeStream.Stats second = s.stats();
            assertThat(second.requests()).as("%s: re-reading held bytes sends no request", label(c))
                    .isEqualTo(first.requests());
            assertThat(server.requests(PATH)).as("%s: server log after re-reading held bytes", label(c))
                    .hasSize((int) first.requests());
            assertThat(second.bytesFromStore() - first.bytesFromStore()).as("%s: bytes from the store for a held"
                    + " read of 3000 bytes", label(c)).isEqualTo(3000);
            assertThat(second.bytesFetched()).as("%s: bytes fetched after a held read", label(c))
                    .isEqualTo(first.bytesFetched());
        }

        @Test
        @DisplayName("R9 an unexpected status is an HttpStatusException naming it; a 416 is RangeNotSatisfiableException")
        final void statuses() throws IOException {
            RangeClient c = client();
            try (RangeStream missing = c.open(server.uri("/tck/missing"))) {
                assertThatThrownBy(() -> missing.read(Range.of(0, 10))).as("%s: read of a missing resource", label(c))
                        .isInstanceOfSatisfying(HttpStatusException.class, e -> assertThat(e.status())
                                .as("%s: status of the exception", label(c)).isEqualTo(404));
            }
            server.fault(PATH, Fault.Status.of(403, 1));
            RangeStream s = open(c);
            assertThatThrownBy(() -> s.read(Range.of(0, 10))).as("%s: read answered 403", label(c))
                    .isInstanceOfSatisfying(HttpStatusException.class, e -> assertThat(e.status())
                            .as("%s: status of the exception", label(c)).isEqualTo(403));
            server.clearFaults(PATH);
            server.fault(PATH, Fault.Status.of(416, 1));
            assertThatThrownBy(() -> s.read(Range.of(0, 10))).as("%s: read answered 416", label(c))
                    .isInstanceOf(RangeNotSatisfiableException.class);
        }

        @Test
        @DisplayName("R11 close is idempotent, leaves held bytes in the store, and reads after close throw IllegalStateException")
        final void closeIsIdempotent() throws IOException {
            RangeClient c = client();
            RangeStream s = c.open(uri());
            s.read(Range.of(0, 100));
            s.close();
            s.close();
            assertThatThrownBy(() -> s.read(Range.of(0, 10))).as("%s: read after close", label(c))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> s.fetch(Range.of(0, 10))).as("%s: fetch after close", label(c))
                    .isInstanceOf(IllegalStateException.class);
            try (RangeStream again = c.open(uri())) {
                assertThat(again.ranges().encloses(Range.of(0, 100))).as("%s: bytes held after close", label(c)).isTrue();
            }
        }
    }

    /** R10, R12 to R14: servers that ignore ranges, cut bodies short or change the file. */
    @Nested
    @DisplayName("R10, R12-R14 fallback, resume, change")
    class FallbackResumeChange {

        @Test
        @DisplayName("R12 a server that ignores Range is read through one streamed download")
        final void ignoredRangeFallsBack() throws IOException {
            server.fault(PATH, new Fault.IgnoreRange());
            RangeClient c = client(b -> b.fallbackMemoryLimit(8 * 1024).spillDirectory(dir));
            RangeStream s = open(c);
            assertThat(s.read(Range.of(40_000, 40_100))).as("%s: [40000, 40100) from a server ignoring Range", label(c))
                    .isEqualTo(expected(Range.of(40_000, 40_100)));
            assertThat(s.read(Range.of(100, 200))).as("%s: [100, 200) read backwards", label(c))
                    .isEqualTo(expected(Range.of(100, 200)));
            assertThat(s.read(Range.suffix(10))).as("%s: the last 10 bytes", label(c))
                    .isEqualTo(expected(Range.of(LENGTH - 10, LENGTH)));
            assertThat(s.read(Range.of(0, LENGTH))).as("%s: everything", label(c)).isEqualTo(expected(Range.of(0, LENGTH)));
            assertThat(s.resource().rangesHonoured()).as("%s: resource().rangesHonoured()", label(c)).isFalse();
            assertThat(s.length()).as("%s: length", label(c)).isEqualTo(LENGTH);
            assertThat(gets()).as("%s: GETs to a server ignoring Range (one full download only)", label(c)).hasSize(1);
        }

        @Test
        @DisplayName("R13 a body cut short is resumed from the last byte with If-Range, exactly")
        final void truncatedBodyIsResumed() throws IOException {
            server.fault(PATH, new Fault.TruncateBody(1500, 1));
            RangeClient c = client();
            RangeStream s = open(c);
            s.length();
            assertThat(s.read(Range.of(0, 8000))).as("%s: [0, 8000) with the first body cut after 1500 bytes", label(c))
                    .isEqualTo(expected(Range.of(0, 8000)));
            List<RangeServer.RecordedRequest> log = gets();
            assertThat(log).as("%s: GETs: %s", label(c), log).hasSizeGreaterThanOrEqualTo(2);
            assertThat(log.get(1).askedRange().map(Range::start)).as("%s: the resumed request starts at 1500", label(c))
                    .contains(1500L);
            assertThat(log.get(1).header("If-Range")).as("%s: the resumed request carries If-Range", label(c))
                    .contains(server.etag(PATH));
        }

        @Test
        @DisplayName("R13 a connection reset mid-body is resumed, exactly")
        final void resetBodyIsResumed() throws IOException {
            server.fault(PATH, new Fault.ResetConnection(2000, 2));
            RangeClient c = client();
            RangeStream s = open(c);
            assertThat(s.read(Range.of(0, 9000))).as("%s: [0, 9000) with two bodies reset after 2000 bytes", label(c))
                    .isEqualTo(expected(Range.of(0, 9000)));
            List<RangeServer.RecordedRequest> log = gets();
            assertThat(log.get(log.size() - 1).header("If-Range")).as("%s: the last resumed request carries If-Range",
                    label(c)).isPresent();
        }

        @Test
        @DisplayName("R13 when the retry budget is spent the error says how many bytes of which range arrived")
        final void retryBudgetIsReported() throws IOException {
            server.fault(PATH, new Fault.TruncateBody(300, 100));
            RangeClient c = client(b -> b.retries(2));
            RangeStream s = open(c);
            assertThatThrownBy(() -> s.read(Range.of(0, 4096))).as("%s: every body cut after 300 bytes, 2 retries",
                    label(c)).isInstanceOf(RangeStreamException.class)
                    .hasMessageContaining("[0, 4096)").hasMessageContaining("received 900 of 4096 bytes");
            assertThat(gets()).as("%s: GETs with 2 retries", label(c)).hasSize(3);
        }

        @Test
        @DisplayName("R10 a changed file: If-Range is sent, held bytes are dropped, the new version is read whole")
        final void changedFileIsRefetched() throws IOException {
            RangeClient c = client();
            RangeStream s = open(c);
            s.read(Range.of(0, 2048));
            String oldEtag = server.etag(PATH);
            server.change(PATH);
            int before = gets().size();
            byte[] spanning = s.read(Range.of(1000, 6000));
            assertThat(gets().get(before).header("If-Range")).as("%s: If-Range of the request after the change", label(c))
                    .contains(oldEtag);
            assertThat(spanning).as("%s: a read spanning old held bytes and a gap, after the change", label(c))
                    .isEqualTo(expected(Range.of(1000, 6000)));
            assertThat(s.read(Range.of(0, 2048))).as("%s: the formerly held bytes, after the change", label(c))
                    .isEqualTo(expected(Range.of(0, 2048)));
            assertThat(s.resource().etag()).as("%s: ETag after the change", label(c)).contains(server.etag(PATH));
        }

        @Test
        @DisplayName("R14 with ChangePolicy.FAIL a changed file is a ResourceChangedException and held bytes are dropped")
        final void changedFileFails() throws IOException {
            RangeClient c = client(b -> b.onChange(ChangePolicy.FAIL));
            RangeStream s = open(c);
            s.read(Range.of(0, 2048));
            server.change(PATH);
            assertThatThrownBy(() -> s.read(Range.of(1000, 6000))).as("%s: read after the file changed", label(c))
                    .isInstanceOf(ResourceChangedException.class);
            assertThat(s.ranges().intersect(Range.of(0, 2048)).totalLength())
                    .as("%s: old bytes left in the store: %s", label(c), s.ranges()).isZero();
            assertThat(s.read(Range.of(0, 2048))).as("%s: a read after the failure gets the new version", label(c))
                    .isEqualTo(expected(Range.of(0, 2048)));
        }
    }

    /** R15 to R17: statuses to retry, bad answers and odd encodings. */
    @Nested
    @DisplayName("R15-R17 retries and bad answers")
    class RetriesAndBadAnswers {

        @Test
        @DisplayName("R15 429 and 503 with Retry-After are retried, then succeed")
        final void retryAfterIsHonoured() throws IOException {
            server.fault(PATH, new Fault.Status(503, Optional.of(Duration.ZERO), 1),
                    new Fault.Status(429, Optional.of(Duration.ofSeconds(1)), 1));
            RangeClient c = client();
            RangeStream s = open(c);
            s.length();
            assertThat(s.read(Range.of(0, 1000))).as("%s: read after a 503 and a 429", label(c))
                    .isEqualTo(expected(Range.of(0, 1000)));
            assertThat(gets()).as("%s: statuses of the GETs", label(c)).extracting(RangeServer.RecordedRequest::status)
                    .containsExactly(503, 429, 206);
        }

        @Test
        @DisplayName("R15 5xx without Retry-After backs off and retries, within the budget")
        final void serverErrorsBackOff() throws IOException {
            server.fault(PATH, Fault.Status.of(500, 2));
            RangeClient c = client();
            RangeStream s = open(c);
            s.length();
            assertThat(s.read(Range.of(0, 1000))).as("%s: read after two 500s", label(c))
                    .isEqualTo(expected(Range.of(0, 1000)));
            server.fault(PATH, Fault.Status.of(502, 10));
            assertThatThrownBy(() -> s.read(Range.of(10_000, 11_000))).as("%s: read while every answer is 502", label(c))
                    .isInstanceOfSatisfying(HttpStatusException.class, e -> assertThat(e.status())
                            .as("%s: status", label(c)).isEqualTo(502));
            assertThat(gets().stream().filter(r -> r.status() == 502)).as("%s: 502 answers with 3 retries", label(c))
                    .hasSize(4);
        }

        @Test
        @DisplayName("R16 a 206 for another range is a RangeStreamException naming both, and nothing is stored")
        final void wrongContentRange() throws IOException {
            server.fault(PATH, new Fault.WrongContentRange(100));
            RangeClient c = client();
            RangeStream s = open(c);
            s.length();
            assertThatThrownBy(() -> s.read(Range.of(2048, 3072))).as("%s: a 206 shifted by 100 bytes", label(c))
                    .isInstanceOf(RangeStreamException.class)
                    .hasMessageContaining("[2048, 3072)").hasMessageContaining("[2148, 3172)");
            assertThat(s.ranges()).as("%s: ranges() after a wrong Content-Range", label(c)).isEqualTo(RangeSet.EMPTY);
        }

        @Test
        @DisplayName("R16 a body longer than its range is a RangeStreamException, and nothing is stored")
        final void longerBody() throws IOException {
            server.fault(PATH, new Fault.LongerBody(10));
            RangeClient c = client();
            RangeStream s = open(c);
            s.length();
            assertThatThrownBy(() -> s.read(Range.of(2048, 3072))).as("%s: a body 10 bytes longer", label(c))
                    .isInstanceOf(RangeStreamException.class).hasMessageContaining("[2048, 3072)");
            assertThat(s.ranges()).as("%s: ranges() after a body longer than its range", label(c))
                    .isEqualTo(RangeSet.EMPTY);
        }

        @Test
        @DisplayName("R17 bodies without Content-Length (chunked) are read exactly, ranged or whole")
        final void noContentLength() throws IOException {
            server.fault(PATH, new Fault.NoContentLength());
            RangeClient c = client();
            RangeStream s = open(c);
            assertThat(s.read(Range.of(3000, 7000))).as("%s: chunked 206", label(c)).isEqualTo(expected(Range.of(3000, 7000)));
            server.add("/tck/whole.bin", 20_000);
            server.fault("/tck/whole.bin", new Fault.NoContentLength(), new Fault.IgnoreRange(), new Fault.HeadRefused());
            try (RangeStream whole = c.open(server.uri("/tck/whole.bin"))) {
                assertThat(whole.read(Range.of(5000, 6000))).as("%s: chunked 200 ignoring Range", label(c))
                        .isEqualTo(server.expected("/tck/whole.bin", Range.of(5000, 6000)));
                assertThat(whole.length()).as("%s: length learned at the end of a chunked 200", label(c))
                        .isEqualTo(20_000);
            }
        }

        @Test
        @DisplayName("R17 a server that gzips whenever allowed still yields the identity bytes")
        final void gzipWheneverAllowed() throws IOException {
            server.fault(PATH, new Fault.GzipWhenAllowed());
            RangeClient c = client();
            RangeStream s = open(c);
            assertThat(s.read(Range.of(0, 5000))).as("%s: bytes from a server that gzips when allowed", label(c))
                    .isEqualTo(expected(Range.of(0, 5000)));
            assertThat(s.read(Range.suffix(50))).as("%s: suffix from a server that gzips when allowed", label(c))
                    .isEqualTo(expected(Range.of(LENGTH - 50, LENGTH)));
        }
    }

    /** R18 to R22: bad input, concurrency and long sequential reads. */
    @Nested
    @DisplayName("R18-R22 bad input, concurrency, long sequential reads")
    class BadInputAndConcurrency {

        @Test
        @DisplayName("R18 bad input is rejected before any request and leaves the store unchanged")
        final void badInputIsRejectedFirst() throws IOException {
            RangeClient c = client();
            RangeStream s = open(c);
            s.read(Range.of(0, 100));
            RangeSet held = s.ranges();
            int requests = server.requests().size();
            assertThatThrownBy(() -> s.read(-1, ByteBuffer.allocate(10))).as("%s: read at -1", label(c))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
            assertThatThrownBy(() -> s.read(null)).as("%s: read(null)", label(c)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> s.fetch(null)).as("%s: fetch(null)", label(c)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> s.channel().position(-5)).as("%s: channel position -5", label(c))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> c.open(URI.create("ftp://127.0.0.1/x"))).as("%s: open ftp URI", label(c))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp");
            assertThatThrownBy(() -> c.open(URI.create("/relative/path"))).as("%s: open a relative URI", label(c))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> RangeClient.builder().store("memory?maxBytes=-1")).as("%s: malformed store spec",
                    label(c)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBytes");
            assertThatThrownBy(() -> RangeClient.builder().transport("no-such-transport").store(c.store()).build())
                    .as("%s: unknown transport name", label(c)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no-such-transport");
            assertThatThrownBy(() -> RangeClient.builder().blockSize(-4)).as("%s: negative block size", label(c))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-4");
            assertThat(server.requests()).as("%s: requests sent for bad input", label(c)).hasSize(requests);
            assertThat(s.ranges()).as("%s: ranges() after bad input", label(c)).isEqualTo(held);
            assertThat(s.read(Range.of(0, 100))).as("%s: held bytes after bad input", label(c))
                    .isEqualTo(expected(Range.of(0, 100)));
        }

        @Test
        @Timeout(value = 10, unit = TimeUnit.MINUTES) // a guard against a deadlock only, however loaded the machine
        @DisplayName("R19 16 threads doing 10000 random reads through a small store get exact bytes, no deadlock")
        final void concurrentRandomReads() throws Exception {
            int length = 128 * 1024;
            server.add("/tck/concurrent.bin", length);
            RangeClient c = client(newStore(dir, 96 * 1024), UnaryOperator.identity());
            RangeStream s = c.open(server.uri("/tck/concurrent.bin"));
            opened.add(s);
            Deadline.within(Duration.ofMinutes(5), label(c) + ": 16 threads x 625 random reads", () -> {
                ExecutorService pool = Executors.newFixedThreadPool(16);
                try {
                    List<Future<Void>> done = new ArrayList<>();
                    for (int t = 0; t < 16; t++) {
                        long seed = t;
                        Callable<Void> task = () -> {
                            Random random = new Random(seed);
                            for (int i = 0; i < 625; i++) {
                                long start = random.nextInt(length);
                                long stop = Math.min(length, start + 1 + random.nextInt(1024));
                                Range r = Range.of(start, stop);
                                byte[] got = s.read(r);
                                if (!java.util.Arrays.equals(got, server.expected("/tck/concurrent.bin", r))) {
                                    throw new AssertionError(label(c) + ": thread " + seed + " read " + i + " of " + r
                                            + " returned other bytes");
                                }
                            }
                            return null;
                        };
                        done.add(pool.submit(task));
                    }
                    for (Future<Void> f : done) {
                        f.get();
                    }
                } finally {
                    pool.shutdownNow();
                }
                return null;
            });
        }

        @Test
        @DisplayName("R21 a long sequential read streams: few requests, every byte fetched once, exact bytes")
        final void longSequentialReadStreams() throws IOException {
            String path = "/tck/long.bin";
            long length = 16L << 20;
            server.add(path, length);
            RangeClient c = streamingClient();
            RangeStream s = c.open(server.uri(path));
            opened.add(s);
            byte[] buf = new byte[64 * 1024];
            long pos = 0;
            boolean exact = true;
            try (InputStream in = s.inputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    exact &= Arrays.equals(buf, 0, n, server.expected(path, Range.of(pos, pos + n)), 0, n);
                    pos += n;
                }
            }
            assertThat(exact).as("%s: 16 MiB read sequentially equal the server's bytes", label(c)).isTrue();
            assertThat(pos).as("%s: bytes read sequentially", label(c)).isEqualTo(length);
            List<RangeServer.RecordedRequest> gets = server.requests(path).stream()
                    .filter(r -> r.method().equals("GET")).toList();
            // Windows of 64 KiB .. 256 KiB, then requests of 8 MiB streamed: 64 windows of 256 KiB would be more.
            assertThat(gets).as("%s: GETs for a sequential 16 MiB read", label(c)).hasSizeLessThanOrEqualTo(18);
            assertThat(gets.stream().mapToLong(RangeServer.RecordedRequest::bodyBytes).sum())
                    .as("%s: body bytes sent for a sequential 16 MiB read", label(c)).isEqualTo(length);
        }

        @Test
        @DisplayName("R22 a file changing under a sequential reader: every read is of one version, then only the new")
        final void changeUnderASequentialReader() throws IOException {
            String path = "/tck/changing.bin";
            int length = 16 << 20;
            server.add(path, length);
            byte[] v1 = server.expected(path, Range.of(0, length));
            RangeClient c = streamingClient();
            RangeStream s = c.open(server.uri(path));
            opened.add(s);
            byte[] buf = new byte[64 * 1024];
            int pos = 0;
            byte[] v2 = null;
            boolean newSeen = false;
            try (InputStream in = s.inputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    boolean old = Arrays.equals(buf, 0, n, v1, pos, pos + n);
                    boolean now = v2 != null && Arrays.equals(buf, 0, n, v2, pos, pos + n);
                    assertThat(old || now).as("%s: read of %s is of one version", label(c), Range.of(pos, pos + n))
                            .isTrue();
                    if (newSeen) {
                        assertThat(now).as("%s: read of %s after the new version was seen", label(c),
                                Range.of(pos, pos + n)).isTrue();
                    }
                    newSeen |= now && !old;
                    pos += n;
                    if (pos == 6 << 20) {
                        server.change(path);
                        v2 = server.expected(path, Range.of(0, length));
                    }
                }
            }
            assertThat(pos).as("%s: bytes read", label(c)).isEqualTo(length);
            assertThat(newSeen).as("%s: the new version was read before the end", label(c)).isTrue();
        }

        @Test
        @DisplayName("R20 two threads wanting the same gap cause one request")
        final void sameGapIsFetchedOnce() throws Exception {
            CountDownLatch reached = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            RangeClient c = client();
            RangeStream s = open(c);
            s.length();
            server.fault(PATH, new Fault.Gate(0, reached, release));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<byte[]> first = pool.submit(() -> s.read(Range.of(4096, 6000)));
                reached.await();
                Thread[] second = new Thread[1];
                CountDownLatch started = new CountDownLatch(1);
                Future<byte[]> other = pool.submit(() -> {
                    second[0] = Thread.currentThread();
                    started.countDown();
                    return s.read(Range.of(4500, 5500));
                });
                started.await();
                // Wait until the second reader is parked (joining the first request) or has sent its own.
                while (server.arrived(PATH) < 3 && !parked(second[0])) {
                    Thread.onSpinWait();
                }
                release.countDown();
                assertThat(first.get()).as("%s: first reader", label(c)).isEqualTo(expected(Range.of(4096, 6000)));
                assertThat(other.get()).as("%s: second reader", label(c)).isEqualTo(expected(Range.of(4500, 5500)));
            } finally {
                release.countDown();
                pool.shutdownNow();
            }
            assertThat(gets()).as("%s: GETs for two readers of the same gap", label(c)).hasSize(1);
        }
    }

    /**
     * Whether a thread waits for another's work: parked in a future or in {@code Object.wait} (not
     * merely blocked on a lock or running).
     */
    private static boolean parked(Thread t) {
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
