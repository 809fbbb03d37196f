package io.rangestreams.tck.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.storage.memory.MemoryRangeStore;
import io.rangestreams.tck.Fault;
import io.rangestreams.tck.RangeServer.RecordedRequest;
import io.rangestreams.transport.jdk.JdkRangeTransport;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How far the engine reads ahead of a sequential reader, and in how many requests. */
class EngineRequestsReadaheadTest extends EngineRequestsFixture {

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
}
