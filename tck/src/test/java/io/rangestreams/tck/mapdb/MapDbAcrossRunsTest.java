package io.rangestreams.tck.mapdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeSet;
import io.rangestreams.RangeStream;
import io.rangestreams.Revalidation;
import io.rangestreams.internal.HttpRangeStream;
import io.rangestreams.spi.ResourceVersion;
import io.rangestreams.storage.mapdb.MapDbRangeStore;
import io.rangestreams.tck.RangeServer;
import io.rangestreams.tck.RangeServer.RecordedRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A first run fetches ranges into a MapDB file; a second run, in its own JVM
 * ({@link SecondRun}), reads them back. The server's request log shows what the second run sent.
 */
class MapDbAcrossRunsTest {

    private static final String PATH = "/data.bin";
    private static final long LENGTH = 8L << 20;
    private static final List<Range> RANGES = List.of(Range.of(0, 100_000), Range.of(3_000_000, 3_400_000),
            Range.of(LENGTH - 5000, LENGTH));

    @TempDir
    Path dir;

    private RangeServer server;
    private URI uri;
    private Path file;

    @BeforeEach
    void start() throws IOException {
        server = RangeServer.start();
        uri = server.add(PATH, LENGTH);
        file = dir.resolve("cache/range-streams.db");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The first run, in this JVM: fetches the ranges into the store file and closes it. */
    private void firstRun() throws IOException {
        try (RangeClient client = RangeClient.builder().transport("jdk").store("mapdb:" + file).build();
                RangeStream stream = client.open(uri)) {
            for (Range r : RANGES) {
                assertThat(stream.read(r)).as("first run: bytes of %s of %s", r, uri)
                        .isEqualTo(server.expected(PATH, r));
            }
        }
        server.clearLog();
    }

    @Test
    void secondRunValidatesOnceAndFetchesNoBodyByte() throws Exception {
        firstRun();
        SecondRunOutput out = secondRun(Revalidation.ONCE);
        out.assertBytesAre(server, "second run, revalidation ONCE");
        List<RecordedRequest> requests = server.requests(PATH);
        assertThat(requests).as("requests of the second run (revalidation ONCE): one validating request")
                .hasSize(1);
        RecordedRequest validation = requests.get(0);
        assertThat(validation.method()).as("method of the second run's one request: %s", validation)
                .isEqualTo("HEAD");
        assertThat(validation.header("If-None-Match")).as("validator of the second run's HEAD: %s", validation)
                .contains(server.etag(PATH));
        assertThat(validation.status()).as("status of the second run's conditional HEAD: %s", validation)
                .isEqualTo(304);
        assertThat(requests.stream().mapToLong(RecordedRequest::bodyBytes).sum())
                .as("body bytes served to the second run").isZero();
        assertThat(out.bytesFetched).as("bytes_fetched reported by the second run").isZero();
        assertThat(out.bytesFromStore).as("bytes_from_store reported by the second run")
                .isEqualTo(RANGES.stream().mapToLong(Range::length).sum());
    }

    @Test
    void secondRunWithRevalidationNeverSendsNoRequestAtAll() throws Exception {
        firstRun();
        SecondRunOutput out = secondRun(Revalidation.NEVER);
        out.assertBytesAre(server, "second run, revalidation NEVER");
        assertThat(server.requests()).as("requests of the second run (revalidation NEVER)").isEmpty();
        assertThat(out.requests).as("requests reported by the second run (revalidation NEVER)").isZero();
    }

    @Test
    void aChangedRemoteFileDropsTheStaleBytesEvenWhenEverythingAskedIsHeld() throws Exception {
        firstRun();
        server.change(PATH);
        SecondRunOutput out = secondRun(Revalidation.ONCE);
        // Every range asked for was held, yet only the new content may come back.
        out.assertBytesAre(server, "second run after the remote file changed");
        assertThat(out.bytesFetched).as("bytes refetched after the change")
                .isEqualTo(server.requests(PATH).stream().mapToLong(RecordedRequest::bodyBytes).sum())
                .isGreaterThanOrEqualTo(RANGES.stream().mapToLong(Range::length).sum());
        try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
            String key = HttpRangeStream.canonicalKey(uri);
            ResourceVersion now = new ResourceVersion(LENGTH, Optional.of(server.etag(PATH)), Optional.empty());
            assertThat(store.version(key)).as("version held after the change")
                    .hasValueSatisfying(v -> assertThat(v.isSameVersion(now)).as("held %s vs server %s", v, now)
                            .isTrue());
            RangeSet held = store.ranges(key);
            for (Range r : held) {
                ByteBuffer dst = ByteBuffer.allocate((int) r.length());
                store.read(key, r.start(), dst);
                assertThat(dst.array()).as("held bytes of %s after the change are the new content", r)
                        .isEqualTo(server.expected(PATH, r));
            }
        }
    }

    /** What {@link SecondRun} printed. */
    private record SecondRunOutput(List<String[]> ranges, long requests, long bytesFetched, long bytesFromStore) {
        void assertBytesAre(RangeServer server, String what) throws Exception {
            assertThat(ranges).as("%s: ranges read", what).hasSize(RANGES.size());
            for (String[] line : ranges) {
                Range r = Range.of(Long.parseLong(line[1]), Long.parseLong(line[2]));
                assertThat(line[3]).as("%s: SHA-256 of %s", what, r)
                        .isEqualTo(SecondRun.sha256(server.expected(PATH, r)));
            }
        }
    }

    private SecondRunOutput secondRun(Revalidation revalidation) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                SecondRun.class.getName(), file.toString(), uri.toString(), revalidation.name()));
        for (Range r : RANGES) {
            command.add(r.start() + "-" + r.stop());
        }
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            List<String[]> ranges = new ArrayList<>();
            String[] stats = null;
            boolean done = false;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    String[] words = line.split(" ");
                    switch (words[0]) {
                        case "range" -> ranges.add(words);
                        case "stats" -> stats = words;
                        case "done" -> done = true;
                        default -> { } // anything else a library may print
                    }
                }
            }
            int exit = p.waitFor();
            assertThat(exit).as("exit status of the second run (%s)", revalidation).isZero();
            assertThat(done && stats != null).as("second run (%s) reported its stats and finished", revalidation)
                    .isTrue();
            return new SecondRunOutput(ranges, Long.parseLong(stats[1]), Long.parseLong(stats[2]),
                    Long.parseLong(stats[3]));
        } finally {
            p.destroyForcibly();
        }
    }
}
