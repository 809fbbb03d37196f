package io.rangestreams.tck.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.storage.redis.RedisServer;
import io.rangestreams.tck.RangeServer;
import io.rangestreams.tck.RangeServer.RecordedRequest;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes sharing one Redis store: what one fetched, the others read without the network; and a
 * Redis outage in the middle of a run is not an error.
 */
class RedisFleetTest {

    private static final String PATH = "/shared.bin";
    private static final int BLOCK = 64 * 1024;

    @TempDir
    Path dir;

    private RangeServer origin;
    private RedisServer redis;
    private URI uri;

    @BeforeEach
    void start() throws Exception {
        origin = RangeServer.start();
        redis = RedisServer.start(dir.resolve("redis"));
    }

    @AfterEach
    void stop() {
        origin.close();
        redis.close();
    }

    private String spec() {
        return "redis:" + redis.uri() + "?prefix=fleet";
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private void assertExact(Fleet.Report report, String who) throws Exception {
        for (Map.Entry<Range, String> e : report.digests().entrySet()) {
            assertThat(e.getValue()).as("%s: SHA-256 of %s", who, e.getKey())
                    .isEqualTo(sha256(origin.expected(PATH, e.getKey())));
        }
    }

    @Nested
    class TwoProcesses {

        @Test
        void theSecondProcessSendsNoBodyByteAndBothReadTheSameBytes() throws Exception {
            long length = 4L << 20;
            uri = origin.add(PATH, length);
            List<Range> ranges = List.of(Range.of(0, 300_000), Range.of(1_000_000, 2_500_000), Range.of(length - 10_000,
                    length));
            List<Fleet.Report> first;
            try (Fleet one = Fleet.start(spec(), uri.toString(), List.of(ranges))) {
                first = one.run();
            }
            long servedToFirst = origin.bytesServed(PATH);
            origin.clearLog();
            List<Fleet.Report> second;
            try (Fleet other = Fleet.start(spec(), uri.toString(), List.of(ranges))) {
                second = other.run();
            }
            assertExact(first.get(0), "first process");
            assertExact(second.get(0), "second process");
            assertThat(second.get(0).digests()).as("bytes of the second process against the first's")
                    .isEqualTo(first.get(0).digests()).hasSize(3);
            assertThat(servedToFirst).as("body bytes served to the first process").isPositive();
            List<RecordedRequest> requests = origin.requests(PATH);
            assertThat(requests.stream().mapToLong(RecordedRequest::bodyBytes).sum())
                    .as("body bytes served to the second process: %s", requests).isZero();
            assertThat(requests).as("requests of the second process (validation once, the default)").hasSize(1)
                    .allSatisfy(r -> assertThat(r.status()).as("status of the validation %s", r).isEqualTo(304));
            assertThat(second.get(0).bytesFetched()).as("bytes_fetched of the second process").isZero();
            assertThat(second.get(0).bytesFromStore()).as("bytes_from_store of the second process")
                    .isEqualTo(ranges.stream().mapToLong(Range::length).sum());
        }
    }

    @Nested
    class EightProcesses {

        @Test
        @Timeout(value = 4, unit = TimeUnit.MINUTES) // eight JVMs starting on a busy two-core machine
        void overlappingReadsAreExactAndEachBlockIsFetchedAboutOnce() throws Exception {
            int blocks = 32;
            uri = origin.add(PATH, (long) blocks * BLOCK);
            // Reader i reads blocks i*4, i*4+1, ... for half the file, wrapping: every block is read by
            // four readers, each arriving at it at a different step.
            List<List<Range>> work = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                List<Range> ranges = new ArrayList<>();
                for (int step = 0; step < blocks / 2; step++) {
                    long b = (i * 4L + step) % blocks;
                    ranges.add(Range.of(b * BLOCK, (b + 1) * BLOCK));
                }
                work.add(ranges);
            }
            List<Fleet.Report> reports;
            long t0 = System.nanoTime();
            try (Fleet fleet = Fleet.start(spec(), uri.toString(), work)) {
                System.out.printf("eight readers started in %.1f s%n", (System.nanoTime() - t0) / 1e9);
                reports = fleet.run();
            }
            System.out.printf("eight readers done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            long fromStore = 0;
            for (int i = 0; i < reports.size(); i++) {
                assertExact(reports.get(i), "reader " + i);
                assertThat(reports.get(i).digests()).as("ranges reported by reader %d", i).hasSize(blocks / 2);
                fromStore += reports.get(i).bytesFromStore();
            }
            int[] fetches = new int[blocks];
            for (RecordedRequest r : origin.requests(PATH)) {
                if (r.bodyBytes() > 0 && r.askedRange().isPresent()) {
                    Range asked = r.askedRange().get();
                    for (long b = asked.start() / BLOCK; b * BLOCK < asked.stop(); b++) {
                        fetches[(int) b]++;
                    }
                }
            }
            long served = origin.bytesServed(PATH);
            System.out.printf("eight readers: %d body bytes served for a %d-byte file (%.2fx), fetches per block %s,"
                    + " %d bytes read from Redis%n", served, (long) blocks * BLOCK, served / (double) (blocks * BLOCK),
                    java.util.Arrays.toString(fetches), fromStore);
            assertThat(served).as("body bytes served to eight readers reading each block four times; per block %s",
                    java.util.Arrays.toString(fetches)).isLessThanOrEqualTo(2L * blocks * BLOCK);
            assertThat(fromStore).as("bytes the eight readers read from Redis").isPositive();
        }
    }

    @Nested
    class Outage {

        @Test
        void readsGoOnThroughAnOutageAndUseTheStoreOnceRedisIsBack() throws Exception {
            long length = 8L << 20;
            uri = origin.add(PATH, length);
            try (RangeClient client = RangeClient.builder().transport("jdk").store(spec()).build();
                    RangeStream stream = client.open(uri)) {
                Range first = Range.of(0, 500_000);
                assertThat(stream.read(first)).as("read with Redis up").isEqualTo(origin.expected(PATH, first));
                assertThat(stream.read(first)).as("read again, from Redis").isEqualTo(origin.expected(PATH, first));
                long fromStoreBefore = stream.stats().bytesFromStore();
                assertThat(fromStoreBefore).as("bytes from Redis before the outage").isGreaterThanOrEqualTo(first.length());
                redis.kill();
                for (long at = 1_000_000; at < 5_000_000; at += 700_000) {
                    Range r = Range.of(at, at + 300_000);
                    assertThat(stream.read(r)).as("read of %s with Redis down", r).isEqualTo(origin.expected(PATH, r));
                }
                assertThat(stream.read(first)).as("read of %s (held before) with Redis down", first)
                        .isEqualTo(origin.expected(PATH, first));
                redis.start();
                // Redis is back, empty: reads fill it again and, once the client has reconnected, a read
                // of held bytes comes from it. Each pass is real reading, bounded by the test timeout.
                Range later = Range.of(6_000_000, 6_200_000);
                long fromStore = stream.stats().bytesFromStore();
                while (stream.stats().bytesFromStore() == fromStore) {
                    assertThat(stream.read(later)).as("read of %s once Redis is back", later)
                            .isEqualTo(origin.expected(PATH, later));
                }
            }
        }
    }
}
