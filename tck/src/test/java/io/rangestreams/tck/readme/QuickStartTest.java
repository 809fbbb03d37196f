package io.rangestreams.tck.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeSet;
import io.rangestreams.RangeStream;
import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The README's quick start, kept compiling and passing against a real loopback server. */
class QuickStartTest {

    private RangeServer server;
    private URI url;

    @BeforeEach
    void start() throws IOException {
        server = RangeServer.start();
        url = server.add("/big.bin", 10_000_000);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void quickStartRunsAsWritten() throws IOException {
        // --- README quick start begins ---
        try (RangeClient client = RangeClient.builder()
                        .transport("jdk")
                        .store("memory?maxBytes=64m")
                        .build();
                RangeStream stream = client.open(url)) {
            byte[] tail = stream.read(Range.suffix(22));      // one block from the end (bytes=-65536): no HEAD
            long length = stream.length();                    // learned from Content-Range
            byte[] middle = stream.read(Range.of(1_000, 2_000));
            byte[] again = stream.read(Range.of(1_500, 1_600)); // already held: no request
            try (SeekableByteChannel channel = stream.channel()) {
                channel.position(length - 100);
                channel.read(ByteBuffer.allocate(100));
            }
            RangeSet held = stream.ranges();
            RangeStream.Stats stats = stream.stats();
            // --- README quick start ends ---

            assertThat(tail).isEqualTo(server.expected("/big.bin", Range.suffix(22)));
            assertThat(length).isEqualTo(10_000_000);
            assertThat(middle).isEqualTo(server.expected("/big.bin", Range.of(1_000, 2_000)));
            assertThat(again).isEqualTo(server.expected("/big.bin", Range.of(1_500, 1_600)));
            assertThat(held.encloses(Range.of(1_000, 2_000))).as("held " + held).isTrue();
            assertThat(server.requests("/big.bin")).as("requests %s", server.requests("/big.bin"))
                    .noneMatch(r -> r.method().equals("HEAD"))
                    .hasSize(2);
            assertThat(server.requests("/big.bin").get(0).range()).hasValue("bytes=-65536");
            assertThat(stats.requests()).isEqualTo(2);
            assertThat(stats.bytesFetched()).isEqualTo(server.bytesServed("/big.bin"));
            assertThat(stats.bytesFromStore()).isEqualTo(100 + 100);
        }
    }

    @Test
    void inputStreamReadsTheWholeResource() throws IOException {
        try (RangeClient client = RangeClient.builder().transport("jdk").store("memory").build();
                RangeStream stream = client.open(url);
                InputStream in = stream.inputStream()) {
            byte[] all = in.readAllBytes();
            assertThat(all).isEqualTo(server.expected("/big.bin", Range.of(0, 10_000_000)));
            // 153 blocks of 64 KiB; readahead makes it far fewer requests (the perf tests pin exact counts).
            assertThat(server.requests("/big.bin").size()).as("requests").isLessThan(60);
        }
    }
}
