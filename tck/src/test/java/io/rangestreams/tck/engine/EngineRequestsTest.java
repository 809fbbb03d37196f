package io.rangestreams.tck.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeSet;
import io.rangestreams.RangeStream;
import io.rangestreams.Revalidation;
import io.rangestreams.spi.BodyReading;
import io.rangestreams.spi.FillingBody;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.storage.memory.MemoryRangeStore;
import io.rangestreams.tck.Fault;
import io.rangestreams.tck.RangeServer.RecordedRequest;
import io.rangestreams.tck.RangeServer;
import io.rangestreams.transport.apache.ApacheRangeTransport;
import io.rangestreams.transport.jdk.JdkRangeTransport;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request counts and bytes of the engine's planning, seen from the server (transport jdk unless a test
 * says otherwise, memory store).
 */
class EngineRequestsTest {

    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;

    private RangeServer server;

    @BeforeEach
    void start() throws IOException {
        server = RangeServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static RangeClient client(UnaryOperator<RangeClient.Builder> tuning) {
        return tuning.apply(RangeClient.builder().transport("jdk").store(new MemoryRangeStore())).build();
    }

    private List<RecordedRequest> gets(String path) {
        return server.requests(path).stream().filter(r -> r.method().equals("GET")).toList();
    }

    private long getBytes(String path) {
        return gets(path).stream().mapToLong(RecordedRequest::bodyBytes).sum();
    }

    /**
     * Reads {@code path} start to end through {@code inputStream()} in 64 KiB reads, checking every
     * read's bytes against the server's, and returns how many were read.
     */
    private long readAllChecked(RangeClient client, URI uri, String path) throws IOException {
        try (RangeStream stream = client.open(uri); InputStream in = stream.inputStream()) {
            return readChecked(in, path, 0, Long.MAX_VALUE);
        }
    }

    /**
     * Reads {@code in}, which is at {@code from} in {@code path}, on to {@code until} (or its end) in
     * reads of up to 64 KiB, checking each read's bytes against the server's; returns where it got.
     */
    private long readChecked(InputStream in, String path, long from, long until) throws IOException {
        byte[] buffer = new byte[64 * KIB];
        long pos = from;
        int n;
        while (pos < until && (n = in.read(buffer, 0, (int) Math.min(buffer.length, until - pos))) > 0) {
            if (!Arrays.equals(Arrays.copyOf(buffer, n), server.expected(path, Range.of(pos, pos + n)))) {
                throw new AssertionError("bytes " + Range.of(pos, pos + n) + " of " + path + " differ from the resource's");
            }
            pos += n;
        }
        return pos;
    }

    /** The size of the resource {@link #readThroughACutStream} reads, and where its stream is cut. */
    private static final long CUT_SIZE = 16L * MIB;
    private static final long CUT_AFTER = 3L * MIB + 1000;

    /**
     * Reads a new resource of {@link #CUT_SIZE} at {@code path} start to end through a client of
     * {@code builder} (memory store, windows of 1 MiB from the second read on, so the third read's
     * window is streamed), the stream that follows the first two reads cut after {@link #CUT_AFTER}
     * bytes. Checks every byte, that each was received once, and that the rest was asked for again
     * after the cut; returns the GETs.
     */
    private List<RecordedRequest> readThroughACutStream(RangeClient.Builder builder, String path) throws IOException {
        URI uri = server.add(path, CUT_SIZE);
        long read;
        try (RangeClient client = builder.store(new MemoryRangeStore()).readahead(MIB, MIB).build();
                RangeStream stream = client.open(uri);
                InputStream in = stream.inputStream()) {
            read = readChecked(in, path, 0, 2 * 64 * KIB);
            server.fault(path, new Fault.ResetConnection(CUT_AFTER, 1));
            read = readChecked(in, path, read, Long.MAX_VALUE);
            assertThat(stream.stats().bytesFetched()).as("body bytes received").isEqualTo(CUT_SIZE);
        }
        assertThat(read).as("bytes read").isEqualTo(CUT_SIZE);
        List<RecordedRequest> gets = gets(path);
        assertThat(gets).as("GETs: after the cut, the rest is asked for again").hasSizeGreaterThan(3);
        return gets;
    }

    /** 200 reads of 8 KiB, gaps log-uniform between 1 byte and 64 KiB (clustered), fixed seed. */
    static List<Range> clusteredReads(long seed) {
        Random random = new Random(seed);
        List<Range> reads = new ArrayList<>();
        long pos = 0;
        for (int i = 0; i < 200; i++) {
            pos += (long) Math.exp(random.nextDouble() * Math.log(64 * KIB));
            reads.add(Range.of(pos, pos + 8 * KIB));
            pos += 8 * KIB;
        }
        return reads;
    }

    @Nested
    class Planning {

        @Test
        void fetchAllOfScatteredSmallRangesFetchesJustThoseBytes() throws IOException {
            URI uri = server.add("/scattered.bin", 64L * MIB);
            Random random = new Random(1);
            List<Range> reads = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                long start = (long) (random.nextDouble() * (64L * MIB - 4 * KIB));
                reads.add(Range.of(start, start + 4 * KIB));
            }
            long asked = RangeSet.ofAll(reads).totalLength();
            try (RangeClient client = client(b -> b.maxGap(0)); RangeStream stream = client.open(uri)) {
                stream.length();
                stream.fetchAll(reads);
                long sent = server.requests("/scattered.bin").size();
                for (Range r : reads) {
                    assertThat(stream.read(r)).as("bytes of %s after fetchAll", r).isEqualTo(server.expected("/scattered.bin", r));
                }
                assertThat(server.requests("/scattered.bin")).as("requests reading what fetchAll fetched").hasSize((int) sent);
            }
            assertThat(getBytes("/scattered.bin")).as("bytes fetched for 100 scattered 4 KiB ranges (64 KiB blocks)")
                    .isEqualTo(asked);
            assertThat(gets("/scattered.bin")).as("GETs for 100 scattered ranges").hasSizeLessThanOrEqualTo(100);
        }

        @Test
        void aSmallReadFetchesItsWholeBlock() throws IOException {
            URI uri = server.add("/block.bin", 4L * MIB);
            try (RangeClient client = client(b -> b.blockSize(64 * KIB)); RangeStream stream = client.open(uri)) {
                stream.length();
                stream.read(Range.of(MIB + 10, MIB + 20));
                assertThat(stream.ranges().ranges()).as("held after reading 10 bytes at 1 MiB + 10")
                        .containsExactly(Range.of(MIB, MIB + 64 * KIB));
                stream.read(Range.of(MIB + 30 * KIB, MIB + 40 * KIB));
            }
            assertThat(gets("/block.bin")).as("GETs for two small reads in one 64 KiB block").hasSize(1);
        }
    }

    @Nested
    class Coalescing {

        private long[] run(String path, long maxGap) throws IOException {
            URI uri = server.add(path, 8L * MIB);
            List<Range> reads = clusteredReads(42);
            try (RangeClient client = client(b -> b.maxGap(maxGap));
                    RangeStream stream = client.open(uri)) {
                stream.fetchAll(reads);
                Range sample = reads.get(117);
                assertThat(stream.read(sample)).as("bytes of %s after fetchAll, maxGap %d", sample, maxGap)
                        .isEqualTo(server.expected(path, sample));
            }
            return new long[] {gets(path).size(), getBytes(path)};
        }

        @Test
        void clusteredReadsNeedFiveTimesFewerRequestsForAtMostHalfAgainTheBytes() throws IOException {
            long[] none = run("/none.bin", 0);
            long[] coalesced = run("/coalesced.bin", 16 * KIB);
            long asked = 200L * 8 * KIB;
            assertThat(none[0]).as("requests for 200 clustered reads, maxGap 0").isEqualTo(200);
            assertThat(coalesced[0] * 5).as("requests with maxGap 16 KiB (%d) x5 vs maxGap 0 (%d)", coalesced[0], none[0])
                    .isLessThanOrEqualTo(none[0]);
            assertThat(coalesced[1]).as("bytes fetched with maxGap 16 KiB vs %d asked", asked)
                    .isBetween(asked, asked * 3 / 2);
        }
    }

    @Nested
    class Readahead {

        @Test
        void sequentialInputStreamUsesFewRequestsAndFetchesEachByteOnce() throws IOException {
            URI uri = server.add("/seq.bin", 32L * MIB);
            long total;
            try (RangeClient client = client(b -> b)) {
                total = readAllChecked(client, uri, "/seq.bin");
            }
            assertThat(total).as("bytes read from a 32 MiB resource").isEqualTo(32L * MIB);
            assertThat(gets("/seq.bin").size()).as("GETs for a sequential 32 MiB read (readahead 64 KiB .. 32 MiB)")
                    .isBetween(2, 20);
            assertThat(getBytes("/seq.bin")).as("bytes fetched for a sequential 32 MiB read").isEqualTo(32L * MIB);
        }

        @Test
        void aBoundedStoreKeepsReadaheadSmallEnoughThatNoByteIsFetchedTwice() throws IOException {
            URI uri = server.add("/bounded.bin", 96L * MIB);
            long total = 0;
            try (RangeClient client = RangeClient.builder().transport("jdk").store(new MemoryRangeStore(16L * MIB))
                            .build();
                    RangeStream stream = client.open(uri);
                    InputStream in = stream.inputStream()) {
                byte[] buffer = new byte[64 * KIB];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    total += n;
                }
            }
            assertThat(total).as("bytes read from a 96 MiB resource").isEqualTo(96L * MIB);
            // Default windows grow to 32 MiB; two of them ahead of the reader would not fit in 16 MiB, and
            // prefetched bytes would be evicted before they were read, then fetched again.
            assertThat(getBytes("/bounded.bin")).as("bytes fetched reading 96 MiB through a 16 MiB store")
                    .isEqualTo(96L * MIB);
        }

        @Test
        void aLongSequentialReadStreamsOneRequestPacedByTheReader() throws IOException {
            long size = 64L * MIB;
            URI uri = server.add("/stream.bin", size);
            long total;
            // 8 MiB store: windows grow to 2 MiB, then one request streams the rest. The JDK transport
            // over the caller's one client asks for one connection.
            try (RangeClient client = RangeClient.builder().transport(new JdkRangeTransport(HttpClient.newHttpClient()))
                    .store(new MemoryRangeStore(8L * MIB)).build()) {
                total = readAllChecked(client, uri, "/stream.bin");
            }
            assertThat(total).as("bytes read").isEqualTo(size);
            List<RecordedRequest> gets = gets("/stream.bin");
            assertThat(gets).as("GETs for a sequential 64 MiB read: windows 64 KiB .. 2 MiB, then one request"
                    + " streamed to the end").hasSizeLessThanOrEqualTo(12);
            assertThat(gets).as("a streamed request to the end of the file: 32 windows of 2 MiB, more than"
                    + " maxRequestSize (32 MiB)")
                    .anyMatch(r -> r.askedRange().map(a -> a.stop() == size && a.length() > 32L * MIB).orElse(false));
            assertThat(getBytes("/stream.bin")).as("bytes fetched for a sequential 64 MiB read").isEqualTo(size);
        }

        /** OkHttp and the JDK transport (two clients) ask for two connections. */
        @ParameterizedTest
        @ValueSource(strings = {"okhttp", "jdk"})
        void aLongReadStreamsRequestsOfMaxRequestSizeOnTwoConnections(String transport) throws IOException {
            long size = 64L * MIB;
            URI uri = server.add("/striped.bin", size);
            // Paced, so the reader always catches up with the stream: a stream is still running when the
            // next one starts. Unpaced, a stream could end before the reader came a window from its end,
            // and the next one then reused its connection (seen once, in a clean-clone build).
            server.fault("/striped.bin", new Fault.SlowBody(256 * KIB, Duration.ofMillis(1)));
            long total;
            // 8 MiB store: windows grow to 2 MiB; the transport asks for two connections, so the streams
            // that follow ask for maxRequestSize (4 MiB) each, the next one a window early.
            try (RangeClient client = RangeClient.builder().transport(transport).store(new MemoryRangeStore(8L * MIB))
                    .maxRequestSize(4L * MIB).build()) {
                total = readAllChecked(client, uri, "/striped.bin");
            }
            assertThat(total).as("bytes read").isEqualTo(size);
            List<RecordedRequest> gets = gets("/striped.bin");
            assertThat(gets).as("GETs of a sequential 64 MiB read through %s: none longer than maxRequestSize", transport)
                    .allMatch(r -> r.askedRange().map(a -> a.length() <= 4L * MIB).orElse(false));
            assertThat(gets.stream().filter(r -> r.askedRange().map(a -> a.length() == 4L * MIB).orElse(false)).count())
                    .as("streamed requests of 4 MiB among %s", gets).isGreaterThanOrEqualTo(10);
            assertThat(gets.stream().map(RecordedRequest::connection).distinct().count())
                    .as("connections the requests came on (a second one opens only while the first is busy)")
                    .isGreaterThanOrEqualTo(2);
            assertThat(getBytes("/striped.bin")).as("bytes fetched for a sequential 64 MiB read").isEqualTo(size);
        }

        /**
         * Through OkHttp two streams may run at once: together they still stay a window ahead. Through
         * Apache the reader reads the stream itself once it caught up, and closing ends it all the same.
         */
        @ParameterizedTest
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void aStreamingRequestRunsAtMostAWindowAheadOfItsReaderAndEndsWithTheStream(String transport) throws IOException {
            long size = 256L * MIB;
            URI uri = server.add("/paced.bin", size);
            long window = 2L * MIB; // a quarter of the 8 MiB store
            long read = 0;
            long fetched;
            try (RangeClient client = RangeClient.builder().transport(transport).store(new MemoryRangeStore(8L * MIB))
                            .build();
                    RangeStream stream = client.open(uri);
                    InputStream in = stream.inputStream()) {
                byte[] buffer = new byte[64 * KIB];
                while (read < 12L * MIB) {
                    read += in.read(buffer);
                }
                fetched = stream.stats().bytesFetched();
            }
            // Growth windows may each run one ahead, then the stream runs at most one window ahead.
            assertThat(fetched).as("%s: bytes fetched when the reader has read %d of %d and stops", transport, read, size)
                    .isGreaterThanOrEqualTo(read).isLessThanOrEqualTo(read + 2 * window);
            // Closing the stream gave up the request: once the server's handler returns, its log shows
            // the streamed request ended far short of the file.
            while (server.answering() > 0) {
                Thread.onSpinWait(); // bounded by the tests' timeout
            }
            long asked = gets("/paced.bin").stream().mapToLong(r -> r.askedRange().map(Range::length).orElse(0L)).sum();
            assertThat(getBytes("/paced.bin")).as("%s: body bytes the server sent, of %d asked, when the stream closed"
                    + " after %d were read", transport, asked, read).isLessThan(asked);
        }

        @Test
        void aJumpResetsReadaheadToOneBlock() throws IOException {
            URI uri = server.add("/jump.bin", 128L * MIB);
            long jump = 100L * MIB + 12345;
            try (RangeClient client = client(b -> b); RangeStream stream = client.open(uri);
                    SeekableByteChannel channel = stream.channel()) {
                ByteBuffer buffer = ByteBuffer.allocate(64 * KIB);
                for (int i = 0; i < 256; i++) {
                    buffer.clear();
                    channel.read(buffer);
                }
                channel.position(jump);
                buffer.clear().limit(100);
                channel.read(buffer);
                assertThat(buffer.array()).as("100 bytes at %d after the jump", jump).startsWith(
                        server.expected("/jump.bin", Range.of(jump, jump + 100)));
            }
            long block = jump / (64 * KIB) * (64 * KIB);
            List<RecordedRequest> atJump = gets("/jump.bin").stream()
                    .filter(r -> r.askedRange().map(a -> a.start() <= jump && jump < a.stop()).orElse(false))
                    .toList();
            assertThat(atJump).as("GETs covering the jump target %d", jump).hasSize(1);
            assertThat(atJump.get(0).askedRange()).as("the GET after the jump").contains(Range.of(block, block + 64 * KIB));
        }

        @Test
        void twoChannelsReadingSequentiallyEachKeepTheirReadahead() throws IOException {
            URI uri = server.add("/two.bin", 64L * MIB);
            try (RangeClient client = client(b -> b); RangeStream stream = client.open(uri);
                    SeekableByteChannel a = stream.channel(); SeekableByteChannel b = stream.channel()) {
                b.position(32L * MIB);
                ByteBuffer buffer = ByteBuffer.allocate(64 * KIB);
                for (int i = 0; i < 128; i++) {
                    buffer.clear();
                    a.read(buffer);
                    buffer.clear();
                    b.read(buffer);
                }
            }
            // Without a window per reader every 64 KiB read would be a jump: 256 requests.
            assertThat(gets("/two.bin").size()).as("GETs for two interleaved sequential readers of 8 MiB each")
                    .isLessThanOrEqualTo(32);
        }
    }

    /**
     * Through a transport whose readers read streams themselves (Apache's), a reader that caught up
     * with a streamed request reads its body on its own thread; the fetching thread steps back.
     */
    @Nested
    class ReaderReadsStream {

        /** Apache's transport, counting the body bytes each thread read. */
        private final class CountingApache implements RangeTransport {
            private final ApacheRangeTransport delegate = new ApacheRangeTransport(TransportOptions.defaults());
            private final Map<Thread, LongAdder> bytesRead = new ConcurrentHashMap<>();

            @Override
            public String name() {
                return "counting-apache";
            }

            @Override
            public BodyReading bodyReading() {
                return delegate.bodyReading();
            }

            @Override
            public RangeResponse send(RangeRequest request) throws IOException {
                RangeResponse r = delegate.send(request);
                InputStream counted = new FilterInputStream(r.body()) {
                    @Override
                    public int read() throws IOException {
                        int b = super.read();
                        count(b < 0 ? 0 : 1);
                        return b;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        count(Math.max(0, n));
                        return n;
                    }

                    private void count(int n) {
                        bytesRead.computeIfAbsent(Thread.currentThread(), t -> new LongAdder()).add(n);
                    }
                };
                return new RangeResponse(r.status(), r.uri(), r.headers(), counted);
            }

            long readOn(Thread thread) {
                LongAdder n = bytesRead.get(thread);
                return n == null ? 0 : n.sum();
            }

            @Override
            public void close() {
                delegate.close();
            }
        }

        /** The CRC-32 of {@code in} read to its end in 64 KiB reads, which must be {@code size} bytes. */
        private long crcOf(InputStream in, long size) throws IOException {
            CRC32 crc = new CRC32();
            byte[] buffer = new byte[64 * KIB];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                crc.update(buffer, 0, n);
                total += n;
            }
            assertThat(total).as("bytes read").isEqualTo(size);
            return crc.getValue();
        }

        /** The CRC-32 of the first {@code size} bytes of {@code path} as the server has them. */
        private long crcOf(String path, long size) {
            CRC32 crc = new CRC32();
            for (long at = 0; at < size; at += MIB) {
                crc.update(server.expected(path, Range.of(at, Math.min(size, at + MIB))));
            }
            return crc.getValue();
        }

        @Test
        void aCaughtUpReaderReadsTheStreamedBodyOnItsOwnThread() throws IOException {
            long size = 64L * MIB;
            URI uri = server.add("/own-thread.bin", size);
            // A server slower than the reader (256 KiB per millisecond at most), so the reader catches up
            // with the stream whatever the machine's pace; the reader checks a CRC at the end only.
            server.fault("/own-thread.bin", new Fault.SlowBody(256 * KIB, Duration.ofMillis(1)));
            CountingApache transport = new CountingApache();
            long crc;
            // 8 MiB store: windows grow to 2 MiB, then one request streams the rest.
            try (RangeClient client = RangeClient.builder().transport(transport).store(new MemoryRangeStore(8L * MIB))
                            .build();
                    RangeStream stream = client.open(uri);
                    InputStream in = stream.inputStream()) {
                crc = crcOf(in, size);
            }
            assertThat(crc).as("CRC-32 of the bytes read against the resource's").isEqualTo(crcOf("/own-thread.bin", size));
            assertThat(gets("/own-thread.bin")).as("GETs for a sequential 64 MiB read").hasSizeLessThanOrEqualTo(12);
            assertThat(getBytes("/own-thread.bin")).as("bytes fetched for a sequential 64 MiB read").isEqualTo(size);
            // The growing windows (about 4 MiB) are read in the background, and so is the start of the
            // stream, until the reader first waits for it; the rest is read by the reader.
            assertThat(transport.readOn(Thread.currentThread())).as("body bytes read on the reader's thread, of %d",
                    size).isGreaterThan(size * 3 / 4);
        }

        @Test
        void readersOfTheSameStreamTakeTurnsAndEachGetsEveryByte() throws Exception {
            long size = 64L * MIB;
            URI uri = server.add("/turns.bin", size);
            // Paced as above, so the readers catch up with the stream and read it themselves, in turns.
            server.fault("/turns.bin", new Fault.SlowBody(256 * KIB, Duration.ofMillis(1)));
            long expected = crcOf("/turns.bin", size);
            int readers = 4;
            CountingApache transport = new CountingApache();
            List<Thread> threads = new CopyOnWriteArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(readers);
            // 16 MiB store: windows grow to 4 MiB, then one request streams the rest.
            try (RangeClient client = RangeClient.builder().transport(transport).store(new MemoryRangeStore(16L * MIB))
                            .build();
                    RangeStream stream = client.open(uri)) {
                CyclicBarrier start = new CyclicBarrier(readers);
                List<Future<Long>> crcs = new ArrayList<>();
                for (int i = 0; i < readers; i++) {
                    crcs.add(pool.submit(() -> {
                        threads.add(Thread.currentThread());
                        start.await();
                        try (InputStream in = stream.inputStream()) {
                            return crcOf(in, size);
                        }
                    }));
                }
                for (Future<Long> crc : crcs) {
                    assertThat(crc.get()).as("CRC-32 of the whole resource read by one of %d readers", readers)
                            .isEqualTo(expected);
                }
                assertThat(stream.stats().bytesFetched()).as("body bytes received for %d readers", readers).isEqualTo(size);
            } finally {
                pool.shutdownNow();
            }
            assertThat(threads.stream().mapToLong(transport::readOn).sum())
                    .as("body bytes read on the readers' threads, of %d", size).isGreaterThan(size / 2);
        }

        @Test
        void aStreamItsReaderStopsReadingIsGivenUpAndReadingOnStillGetsEveryByteOnce() throws IOException {
            long size = 64L * MIB;
            URI uri = server.add("/idle.bin", size);
            long read;
            try (RangeClient client = RangeClient.builder().transport("apache").store(new MemoryRangeStore(8L * MIB))
                            .build();
                    RangeStream stream = client.open(uri);
                    InputStream in = stream.inputStream()) {
                read = readChecked(in, "/idle.bin", 0, 12L * MIB);
                // The reader stops with the stream open: after the stream's idle time (2 s) its request is
                // given up, and the server's handler returns.
                while (server.answering() > 0) {
                    Thread.onSpinWait(); // bounded by the tests' timeout
                }
                long sent = getBytes("/idle.bin");
                long asked = gets("/idle.bin").stream().mapToLong(r -> r.askedRange().map(Range::length).orElse(0L)).sum();
                assertThat(sent).as("body bytes sent, of %d asked, when the stream was given up after %d were read",
                        asked, read).isLessThan(asked);
                read = readChecked(in, "/idle.bin", read, Long.MAX_VALUE);
                // Bytes the client had received of the given-up stream count too, though never read.
                assertThat(stream.stats().bytesFetched()).as("body bytes received for the whole read")
                        .isBetween(size, getBytes("/idle.bin"));
            }
            assertThat(read).as("bytes read").isEqualTo(size);
        }

        @Test
        void aStreamCutWhileItsReaderReadsItIsResumedWithoutLosingOrRefetchingAByte() throws IOException {
            List<RecordedRequest> gets = readThroughACutStream(RangeClient.builder().transport("apache"), "/cut.bin");
            assertThat(gets.get(2).askedRange().orElseThrow()).as("the streamed request")
                    .isEqualTo(Range.of(2 * 64 * KIB + MIB, CUT_SIZE));
        }
    }

    /** The JDK client's bodies are {@link FillingBody}: the engine fills each chunk of them in one wait. */
    @Nested
    class FillingBodies {

        /** The JDK transport, counting the body bytes the engine takes by {@code fill} and by {@code read}. */
        private final class CountingJdk implements RangeTransport {
            private final JdkRangeTransport delegate = new JdkRangeTransport(TransportOptions.defaults());
            final LongAdder filled = new LongAdder();
            final LongAdder read = new LongAdder();

            @Override
            public String name() {
                return "counting-jdk";
            }

            @Override
            public RangeResponse send(RangeRequest request) throws IOException {
                RangeResponse r = delegate.send(request);
                return new RangeResponse(r.status(), r.uri(), r.headers(), new CountingBody(r.body()));
            }

            @Override
            public void close() {
                delegate.close();
            }

            private final class CountingBody extends FilterInputStream implements FillingBody {
                CountingBody(InputStream body) {
                    super(body);
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = in.read(b, off, len);
                    read.add(Math.max(0, n));
                    return n;
                }

                @Override
                public int fill(byte[] b, int off, int len) throws IOException {
                    int n = ((FillingBody) in).fill(b, off, len);
                    filled.add(Math.max(0, n));
                    return n;
                }
            }
        }

        @Test
        void aStreamCutInsideAChunkKeepsTheBytesBeforeTheCutAndEveryByteComesByFill() throws IOException {
            CountingJdk transport = new CountingJdk();
            // The cut falls 1000 bytes into a chunk (chunks are 256 KiB).
            List<RecordedRequest> gets = readThroughACutStream(RangeClient.builder().transport(transport), "/fill.bin");
            assertThat(gets.get(2).bodyBytes()).as("body bytes of the cut stream %s", gets.get(2))
                    .isEqualTo(CUT_AFTER);
            assertThat(gets.stream().mapToLong(RecordedRequest::bodyBytes).sum())
                    .as("body bytes the server sent, over %s: none twice, not even the 1000 of the cut chunk", gets)
                    .isEqualTo(CUT_SIZE);
            assertThat(transport.filled.sum()).as("body bytes the engine took by fill").isEqualTo(CUT_SIZE);
            assertThat(transport.read.sum()).as("body bytes the engine took by read").isZero();
        }
    }

    @Nested
    class Parallel {

        @Test
        void fetchAllRunsItsRequestsInParallel() throws IOException {
            URI uri = server.add("/par.bin", 64L * MIB);
            server.fault("/par.bin", new Fault.Latency(Duration.ofMillis(50)));
            List<Range> ranges = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                long start = i * 2L * MIB;
                ranges.add(Range.of(start, start + 4 * KIB));
            }
            try (RangeClient client = client(b -> b.parallelism(8)); RangeStream stream = client.open(uri)) {
                stream.length();
                stream.fetchAll(ranges);
                assertThat(stream.ranges().encloses(ranges.get(31))).as("last range held after fetchAll").isTrue();
            }
            assertThat(gets("/par.bin")).as("GETs for 32 ranges 2 MiB apart").hasSize(32);
            // The server counts a request until its handler returns, a moment after the client has the
            // last byte and started its next request, so it can see a few more than the client's 8; all 32
            // at once would mean no limit at all.
            assertThat(server.maxConcurrentRequests()).as("most requests the server answered at once")
                    .isGreaterThan(1).isLessThanOrEqualTo(16);
        }
    }

    @Nested
    class SingleFlight {

        @Test
        void concurrentReadersOfTheSameMissingBytesShareOneRequest() throws Exception {
            URI uri = server.add("/shared.bin", 8L * MIB);
            server.fault("/shared.bin", new Fault.Latency(Duration.ofMillis(100)));
            Range wanted = Range.of(MIB, 2L * MIB);
            int readers = 8;
            try (RangeClient client = client(b -> b); RangeStream stream = client.open(uri)) {
                stream.length();
                server.clearLog();
                readAtOnce(stream, "/shared.bin", wanted, readers);
            }
            assertThat(gets("/shared.bin")).as("GETs for %d concurrent readers of %s", readers, wanted).hasSize(1);
        }

        @Test
        void concurrentFirstReadsBeforeTheLengthIsKnownShareTheFirstRequest() throws Exception {
            URI uri = server.add("/first.bin", 8L * MIB);
            server.fault("/first.bin", new Fault.Latency(Duration.ofMillis(50)));
            Range wanted = Range.of(1000, 2000);
            int readers = 4;
            try (RangeClient client = client(b -> b); RangeStream stream = client.open(uri)) {
                readAtOnce(stream, "/first.bin", wanted, readers);
            }
            // Unshared, each would send a first request of its own: there is no length to plan with.
            assertThat(server.requests("/first.bin")).as("requests for %d concurrent first reads of %s", readers, wanted)
                    .hasSize(1);
        }

        /** {@code readers} threads read {@code wanted} at once, released together; each gets the server's bytes. */
        private void readAtOnce(RangeStream stream, String path, Range wanted, int readers) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(readers);
            try {
                CyclicBarrier start = new CyclicBarrier(readers);
                List<Future<byte[]>> results = new ArrayList<>();
                for (int i = 0; i < readers; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return stream.read(wanted);
                    }));
                }
                byte[] expected = server.expected(path, wanted);
                for (Future<byte[]> r : results) {
                    assertThat(r.get()).as("bytes of %s for one of %d concurrent readers", wanted, readers)
                            .isEqualTo(expected);
                }
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        void aReaderOfBytesThatArrivedDoesNotWaitForTheRestOfTheRequest() throws Exception {
            URI uri = server.add("/arriving.bin", 8L * MIB);
            CountDownLatch reached = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try (RangeClient client = client(b -> b); RangeStream stream = client.open(uri)) {
                stream.length();
                server.clearLog();
                server.fault("/arriving.bin", new Fault.Gate(MIB, reached, release));
                Future<?> whole = pool.submit(() -> {
                    stream.fetch(Range.of(0, 4L * MIB));
                    return null;
                });
                reached.await(); // the server sent the first MiB and holds the other three
                Range head = Range.of(300_000, 301_000);
                // The read returns as soon as its bytes are stored. Waiting for the whole request instead
                // would wait for the gate, which opens only after this: the test would time out.
                byte[] got = pool.submit(() -> stream.read(head)).get();
                assertThat(got).as("bytes of %s, which arrived before the server paused", head)
                        .isEqualTo(server.expected("/arriving.bin", head));
                assertThat(whole.isDone()).as("the 4 MiB fetch is still held at the gate").isFalse();
                release.countDown();
                whole.get();
            } finally {
                release.countDown();
                pool.shutdownNow();
            }
            assertThat(gets("/arriving.bin")).as("GETs: the reader shared the fetch in flight").hasSize(1);
        }

        /**
         * A reader that ran out of a stream's bytes also waits for up to 1 MiB after them, so that it
         * wakes once per MiB rather than once per chunk; a stream that stalls must not keep it from the
         * bytes that did arrive.
         */
        @Test
        void aReaderOfAStallingStreamStillGetsTheBytesThatArrived() throws Exception {
            long size = 16L * MIB;
            URI uri = server.add("/stalling.bin", size);
            CountDownLatch reached = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            byte[] buffer = new byte[64 * KIB];
            long read = 0;
            // Windows of 1 MiB from the second read on: the third read's window is streamed.
            try (RangeClient client = client(b -> b.readahead(MIB, MIB));
                    RangeStream stream = client.open(uri);
                    InputStream in = stream.inputStream()) {
                for (int i = 0; i < 2; i++) {
                    read += in.readNBytes(buffer, 0, buffer.length);
                }
                // The two GETs so far were answered; the stream that comes next sends 2 MiB, then stalls.
                server.fault("/stalling.bin", new Fault.Gate(2L * MIB, reached, release));
                try {
                    long streamStart = read + MIB;
                    // Bytes are stored a chunk (up to 256 KiB) at a time, and where the stream's chunks
                    // start depends on how its reader paced it: the chunk that runs into the gate waits
                    // for it. Every byte up to 256 KiB before the gate is in a chunk that ends before it.
                    long stored = streamStart + 2L * MIB - 256 * KIB;
                    read = readChecked(in, "/stalling.bin", read, stored);
                    // Had the reader insisted on the MiB after its bytes, it would wait here for the gate,
                    // which opens only after this: the test would time out.
                    assertThat(reached.getCount()).as("the server holds the stream after 2 MiB").isZero();
                    List<RecordedRequest> gets = gets("/stalling.bin");
                    assertThat(gets).as("GETs so far: two windows, then the stream").hasSize(3);
                    assertThat(gets.get(2).askedRange().orElseThrow().start()).as("where the stream starts")
                            .isEqualTo(streamStart);
                } finally {
                    release.countDown();
                }
                read = readChecked(in, "/stalling.bin", read, Long.MAX_VALUE);
            }
            assertThat(read).as("bytes read").isEqualTo(size);
            assertThat(getBytes("/stalling.bin")).as("bytes fetched").isEqualTo(size);
        }
    }

    @Nested
    class WarmStore {

        @Test
        void readingAgainWhatIsHeldSendsNothing() throws IOException {
            URI uri = server.add("/warm.bin", 4L * MIB);
            MemoryRangeStore store = new MemoryRangeStore();
            try (RangeClient client = RangeClient.builder().transport("jdk").store(store)
                    .revalidation(Revalidation.NEVER).build()) {
                try (RangeStream stream = client.open(uri)) {
                    stream.read(Range.of(0, 4L * MIB));
                }
                server.clearLog();
                try (RangeStream stream = client.open(uri)) {
                    byte[] again = stream.read(Range.of(MIB, 3L * MIB));
                    assertThat(again).as("warm re-read of [1 MiB, 3 MiB)")
                            .isEqualTo(server.expected("/warm.bin", Range.of(MIB, 3L * MIB)));
                    assertThat(stream.stats().requests()).as("requests counted by a stream over a warm store").isZero();
                    assertThat(stream.stats().bytesFromStore()).as("bytes served from the warm store").isEqualTo(2L * MIB);
                }
            }
            assertThat(server.requests("/warm.bin")).as("requests for a warm re-read with revalidation NEVER").isEmpty();
        }

        @Test
        void readingAgainInTheSameStreamSendsNothing() throws IOException {
            URI uri = server.add("/warm2.bin", 4L * MIB);
            try (RangeClient client = client(b -> b); RangeStream stream = client.open(uri)) {
                stream.read(Range.of(100, 3L * MIB));
                server.clearLog();
                stream.read(Range.of(200, 2L * MIB));
                stream.read(Range.of(100, 3L * MIB));
            }
            assertThat(server.requests("/warm2.bin")).as("requests re-reading held bytes in the same stream").isEmpty();
        }
    }

    @Nested
    class FootersFirst {

        @Test
        void aReadFromTheEndOfAnUnknownLengthIsOneSuffixRequestWithoutHead() throws IOException {
            URI uri = server.add("/footer.bin", 5L * MIB + 123);
            long length = 5L * MIB + 123;
            try (RangeClient client = client(b -> b); RangeStream stream = client.open(uri)) {
                byte[] eocd = stream.read(Range.of(-30, -10));
                assertThat(eocd).as("bytes [-30, -10) of a %d-byte resource", length)
                        .isEqualTo(server.expected("/footer.bin", Range.of(length - 30, length - 10)));
                byte[] tail = stream.read(Range.suffix(22));
                Range index = Range.of(length - 40 * KIB, length - 22);
                byte[] directory = stream.read(index);
                assertThat(tail).as("last 22 bytes").isEqualTo(server.expected("/footer.bin", Range.suffix(22)));
                assertThat(directory).as("bytes %s before the footer", index)
                        .isEqualTo(server.expected("/footer.bin", index));
                assertThat(stream.length()).as("length learned from the suffix response").isEqualTo(length);
            }
            List<RecordedRequest> requests = server.requests("/footer.bin");
            assertThat(requests).as("requests to read a footer and a 40 KiB index before it").hasSize(1);
            assertThat(requests.get(0).method()).as("method of the only request").isEqualTo("GET");
            assertThat(requests.get(0).range()).as("Range of the only request").contains("bytes=-65536");
        }
    }
}
