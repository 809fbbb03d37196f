package io.rangestreams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.ChangePolicy;
import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.Revalidation;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private static final int KIB = 1024;

    private static Planner planner(int block, long maxGap, long maxRequest) {
        return new Planner(new EngineOptions(block, 64 * KIB, 8 * KIB * KIB, maxGap, maxRequest, 8, 3,
                Duration.ofSeconds(1), 5 * KIB * KIB, OptionalLong.empty(), Optional.empty(), Revalidation.ONCE, ChangePolicy.REFETCH, 1));
    }

    @Nested
    class Alignment {

        @Test
        void roundsAReadOutToWholeBlocks() {
            List<Range> plan = planner(4 * KIB, 0, 1 << 20).plan(RangeSet.of(Range.of(5000, 9000)), RangeSet.EMPTY, -1);
            assertThat(plan).as("read [5000, 9000) with 4 KiB blocks").containsExactly(Range.of(4096, 12288));
        }

        @Test
        void clipsTheLastBlockAtTheKnownLength() {
            List<Range> plan = planner(4 * KIB, 0, 1 << 20).plan(RangeSet.of(Range.of(9000, 10000)), RangeSet.EMPTY,
                    10_000);
            assertThat(plan).as("read [9000, 10000) of a 10000-byte file").containsExactly(Range.of(8192, 10_000));
        }

        @Test
        void asksOnlyForWhatIsNotHeld() {
            RangeSet held = RangeSet.of(Range.of(0, 8192), Range.of(12288, 16384));
            List<Range> plan = planner(4 * KIB, 0, 1 << 20).plan(RangeSet.of(Range.of(100, 16000)), held, -1);
            assertThat(plan).as("read [100, 16000) holding [0, 8192) and [12288, 16384)")
                    .containsExactly(Range.of(8192, 12288));
        }

        @Test
        void asksForNothingWhenAllIsHeld() {
            List<Range> plan = planner(4 * KIB, 64 * KIB, 1 << 20).plan(RangeSet.of(Range.of(10, 20)),
                    RangeSet.of(Range.of(0, 4096)), -1);
            assertThat(plan).as("read [10, 20) holding [0, 4096)").isEmpty();
        }
    }

    @Nested
    class Coalescing {

        @Test
        void mergesGapsCloserThanMaxGap() {
            RangeSet wanted = RangeSet.of(Range.of(0, 100), Range.of(5000, 5100), Range.of(9000, 9100));
            List<Range> plan = planner(1, 5000, 1 << 20).plan(wanted, RangeSet.EMPTY, -1);
            assertThat(plan).as("three reads 4900 and 3900 bytes apart, maxGap 5000").containsExactly(Range.of(0, 9100));
        }

        @Test
        void keepsGapsFartherThanMaxGapApart() {
            RangeSet wanted = RangeSet.of(Range.of(0, 100), Range.of(5000, 5100), Range.of(9000, 9100));
            List<Range> plan = planner(1, 3900, 1 << 20).plan(wanted, RangeSet.EMPTY, -1);
            assertThat(plan).as("reads 4900 then 3900 bytes apart, maxGap 3900")
                    .containsExactly(Range.of(0, 100), Range.of(5000, 9100));
        }

        @Test
        void noCoalescingWithMaxGapZero() {
            RangeSet wanted = RangeSet.of(Range.of(0, 100), Range.of(101, 200), Range.of(300, 400));
            List<Range> plan = planner(1, 0, 1 << 20).plan(wanted, RangeSet.EMPTY, -1);
            assertThat(plan).as("reads one byte apart, maxGap 0").hasSize(3);
        }

        @Test
        void refetchesHeldBytesBetweenCloseGapsRatherThanSendingTwoRequests() {
            RangeSet wanted = RangeSet.of(Range.of(0, 1000));
            RangeSet held = RangeSet.of(Range.of(400, 500));
            List<Range> plan = planner(1, 100, 1 << 20).plan(wanted, held, -1);
            assertThat(plan).as("[0, 1000) holding 100 bytes in the middle, maxGap 100")
                    .containsExactly(Range.of(0, 1000));
        }

        @Test
        void stopsMergingAtMaxRequestSize() {
            RangeSet wanted = RangeSet.of(Range.of(0, 1000), Range.of(1010, 2000), Range.of(2010, 3000));
            List<Range> plan = planner(1, 100, 2500).plan(wanted, RangeSet.EMPTY, -1);
            assertThat(plan).as("three close reads, maxRequestSize 2500")
                    .containsExactly(Range.of(0, 2000), Range.of(2010, 3000));
        }

        @Test
        void splitsALongGapIntoRequestsOfMaxRequestSize() {
            List<Range> plan = planner(1024, 0, 4096).plan(RangeSet.of(Range.of(0, 10_000)), RangeSet.EMPTY, -1);
            assertThat(plan).as("10000 bytes with 4096-byte requests")
                    .containsExactly(Range.of(0, 4096), Range.of(4096, 8192), Range.of(8192, 10_240));
        }
    }

    @Nested
    class Readaheads {

        @Test
        void firstReadAndJumpsGetNoReadahead() {
            Readahead r = new Readahead(64 * KIB, 8 * KIB * KIB);
            assertThat(r.next(0, 100)).as("first read").isZero();
            assertThat(r.next(5000, 5100)).as("a jump").isZero();
        }

        @Test
        void growsGeometricallyWhileSequentialUpToTheMaximum() {
            Readahead r = new Readahead(64 * KIB, 1024 * KIB);
            long pos = 0;
            long chunk = 64 * KIB;
            r.next(pos, pos += chunk);
            long previous = 0;
            long last = 0;
            for (int i = 0; i < 200; i++) {
                last = r.next(pos, pos += chunk);
                assertThat(last).as("window after sequential read %d", i).isGreaterThanOrEqualTo(previous);
                previous = last;
            }
            assertThat(last).as("window after 200 sequential 64 KiB reads, max 1 MiB").isEqualTo(1024 * KIB);
        }

        @Test
        void smallSequentialRecordsInsideOneWindowDoNotGrowIt() {
            Readahead r = new Readahead(64 * KIB, 8 * KIB * KIB);
            long pos = 0;
            r.next(pos, pos += 100);
            for (int i = 0; i < 100; i++) {
                assertThat(r.next(pos, pos += 100)).as("window after %d records of 100 bytes", i + 2)
                        .isEqualTo(64 * KIB);
            }
        }

        @Test
        void aJumpResetsTheWindow() {
            Readahead r = new Readahead(64 * KIB, 8 * KIB * KIB);
            long pos = 0;
            for (int i = 0; i < 50; i++) {
                r.next(pos, pos += 64 * KIB);
            }
            assertThat(r.next(1L << 30, (1L << 30) + 100)).as("read after a jump").isZero();
            assertThat(r.next((1L << 30) + 100, (1L << 30) + 200)).as("read after the jump, sequential")
                    .isEqualTo(64 * KIB);
        }

        @Test
        void followsInterleavedSequentialReadersSeparately() {
            Readahead r = new Readahead(64 * KIB, 8 * KIB * KIB);
            long a = 0;
            long b = 1L << 30;
            r.next(a, a += 4096);
            r.next(b, b += 4096);
            for (int i = 0; i < 20; i++) {
                assertThat(r.next(a, a += 64 * KIB)).as("reader A, read %d", i).isPositive();
                assertThat(r.next(b, b += 64 * KIB)).as("reader B, read %d", i).isPositive();
            }
        }

        @Test
        void initialZeroTurnsReadaheadOff() {
            Readahead r = new Readahead(0, 8 * KIB * KIB);
            long pos = 0;
            for (int i = 0; i < 10; i++) {
                assertThat(r.next(pos, pos += 4096)).as("read %d with readahead off", i).isZero();
            }
        }
    }
}
