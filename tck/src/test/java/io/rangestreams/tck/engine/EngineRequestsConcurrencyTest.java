package io.rangestreams.tck.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.tck.Fault;
import io.rangestreams.tck.RangeServer.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Requests of concurrent work: parallel fetches, and readers sharing one request in flight. */
class EngineRequestsConcurrencyTest extends EngineRequestsFixture {

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
}
