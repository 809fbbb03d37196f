package io.rangestreams.tck.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.spi.BodyReading;
import io.rangestreams.spi.FillingBody;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.storage.memory.MemoryRangeStore;
import io.rangestreams.tck.Fault;
import io.rangestreams.tck.RangeServer.RecordedRequest;
import io.rangestreams.transport.apache.ApacheRangeTransport;
import io.rangestreams.transport.jdk.JdkRangeTransport;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** How the engine takes a streamed body: on the reader's own thread, or by fill. */
class EngineRequestsBodyReadingTest extends EngineRequestsFixture {

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
}
