package io.rangestreams.tck.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeSet;
import io.rangestreams.RangeStream;
import io.rangestreams.Revalidation;
import io.rangestreams.storage.memory.MemoryRangeStore;
import io.rangestreams.tck.RangeServer.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Which bytes the engine asks for: blocks, coalescing, footers first, and nothing for held bytes. */
class EngineRequestsPlanningTest extends EngineRequestsFixture {

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
