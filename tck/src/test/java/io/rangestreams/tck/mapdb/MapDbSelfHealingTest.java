package io.rangestreams.tck.mapdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.RangeStreamException;
import io.rangestreams.Revalidation;
import io.rangestreams.tck.RangeServer;
import io.rangestreams.tck.RangeServer.RecordedRequest;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MapDB store damaged between runs (its data file written to while closed, as another process
 * would) heals itself: the next run returns only the server's bytes and fetches the damaged part
 * again, and the run after it needs the network no more. And a store file in use by another
 * client fails to open in one readable line.
 */
class MapDbSelfHealingTest {

    private static final String PATH = "/data.bin";
    private static final long LENGTH = 8L << 20;

    @TempDir
    Path dir;

    private RangeServer server;
    private URI uri;
    private Path file;

    @BeforeEach
    void start() throws IOException {
        server = RangeServer.start();
        uri = server.add(PATH, LENGTH);
        file = dir.resolve("cache.db");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RangeClient client(String spec) {
        return RangeClient.builder().transport("jdk").store(spec).revalidation(Revalidation.NEVER).build();
    }

    /** Reads the whole file through a client on the store; returns the body bytes the server sent. */
    private long readWhole(String what) throws IOException {
        server.clearLog();
        try (RangeClient client = client("mapdb:" + file); RangeStream stream = client.open(uri)) {
            assertThat(stream.read(Range.of(0, LENGTH))).as("%s: the whole of %s", what, uri)
                    .isEqualTo(server.expected(PATH, Range.of(0, LENGTH)));
        }
        return server.requests(PATH).stream().mapToLong(RecordedRequest::bodyBytes).sum();
    }

    private void damage(long at, byte[] bytes) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(dir.resolve("cache.db.data").toFile(), "rw")) {
            raf.seek(at);
            raf.write(bytes);
        }
    }

    private void healsAfter(String what, long at, byte[] bytes) throws IOException {
        assertThat(readWhole("first run")).as("bytes fetched by the first run").isEqualTo(LENGTH);
        damage(at, bytes);
        // The store's warning for each dropped piece is checked by storage-mapdb's MapDbIntegrityTest.
        assertThat(readWhole("the run after " + what)).as("bytes fetched again after %s", what)
                .isPositive()
                .isLessThanOrEqualTo(bytes.length + 4L * (1 << 20));
        assertThat(readWhole("the second run after " + what)).as("bytes fetched once healed from %s", what).isZero();
    }

    @Nested
    class DamagedDataFile {

        @Test
        void flippedBytesAreFetchedAgainNeverServed() throws IOException {
            byte[] flipped = server.expected(PATH, Range.of(3_000_000, 3_002_000));
            for (int i = 0; i < flipped.length; i++) {
                flipped[i] ^= (byte) 0xA5;
            }
            healsAfter("2000 bytes flipped", 3_000_000, flipped);
        }

        @Test
        void zeroedBytesAreFetchedAgainNeverServed() throws IOException {
            healsAfter("4 MiB zeroed", 2L << 20, new byte[4 << 20]);
        }
    }

    @Nested
    class FileInUse {

        @Test
        void aSecondClientFailsAfterLockWaitInOneReadableLine() {
            try (RangeClient first = client("mapdb:" + file)) {
                Throwable failure = catchThrowable(() -> client("mapdb:" + file + "?lockWait=200ms"));
                assertThat(failure).as("building a second client on %s while the first has it open", file)
                        .isInstanceOf(UncheckedIOException.class)
                        .hasCauseInstanceOf(RangeStreamException.class)
                        .hasMessageContaining("mapdb:" + file + "?lockWait=200ms")
                        .hasMessageContaining("is in use")
                        .hasMessageContaining("waited 200 ms")
                        .hasMessageNotContaining("StoreOptions[")
                        .satisfies(e -> assertThat(e.getMessage()).as("message of %s", e).doesNotContain("\n"));
            }
        }
    }
}
