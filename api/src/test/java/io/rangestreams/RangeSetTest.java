package io.rangestreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RangeSetTest {

    @Nested
    class EdgeCases {
        @Test
        void adjacentAndOverlappingRangesMerge() {
            RangeSet s = RangeSet.of(Range.of(0, 3), Range.of(3, 5), Range.of(10, 20), Range.of(15, 25));
            assertThat(s).hasToString("RangeSet{[0, 5), [10, 25)}");
            assertThat(s.size()).isEqualTo(2);
            assertThat(s.totalLength()).isEqualTo(20);
        }

        @Test
        void toStringMatchesTheDesign() {
            assertThat(RangeSet.of(Range.of(0, 3), Range.of(10, 20))).hasToString("RangeSet{[0, 3), [10, 20)}");
            assertThat(RangeSet.EMPTY).hasToString("RangeSet{}");
        }

        @Test
        void emptyRangesAreDropped() {
            assertThat(RangeSet.of(Range.EMPTY, Range.of(5, 5))).isEqualTo(RangeSet.EMPTY);
            assertThat(RangeSet.of(Range.of(1, 2)).union(Range.of(7, 7))).isEqualTo(RangeSet.of(Range.of(1, 2)));
        }

        @Test
        void minusSplitsARange() {
            RangeSet s = RangeSet.of(Range.of(0, 100)).minus(Range.of(40, 60));
            assertThat(s).isEqualTo(RangeSet.of(Range.of(0, 40), Range.of(60, 100)));
        }

        @Test
        void gapsAreWhatIsMissingInsideARange() {
            RangeSet held = RangeSet.of(Range.of(0, 100));
            assertThat(held.gaps(Range.of(50, 200))).isEqualTo(RangeSet.of(Range.of(100, 200)));
            assertThat(held.gaps(Range.of(10, 20))).isEqualTo(RangeSet.EMPTY);
            assertThat(RangeSet.EMPTY.gaps(Range.of(3, 9))).isEqualTo(RangeSet.of(Range.of(3, 9)));
        }

        @Test
        void enclosesNeedsEveryByte() {
            RangeSet s = RangeSet.of(Range.of(0, 10), Range.of(11, 20));
            assertThat(s.encloses(Range.of(0, 10))).isTrue();
            assertThat(s.encloses(Range.of(5, 15))).as("byte 10 is missing").isFalse();
            assertThat(s.encloses(Range.EMPTY)).isTrue();
            assertThat(s.contains(10)).isFalse();
            assertThat(s.contains(11)).isTrue();
        }

        @Test
        void unresolvedRangesAreRejected() {
            assertThatThrownBy(() -> RangeSet.of(Range.suffix(3)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[-3, end)");
            assertThatThrownBy(() -> RangeSet.EMPTY.union(Range.from(4)))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void iterationIsInOrder() {
            RangeSet s = RangeSet.of(Range.of(30, 40), Range.of(0, 5), Range.of(10, 12));
            assertThat(s.ranges()).containsExactly(Range.of(0, 5), Range.of(10, 12), Range.of(30, 40));
            assertThat(s.intersect(Range.of(3, 35)))
                    .isEqualTo(RangeSet.of(Range.of(3, 5), Range.of(10, 12), Range.of(30, 35)));
        }
    }

    /** Every operation checked against a BitSet model over thousands of random steps. */
    @Test
    void agreesWithABitSetModelOverRandomOperations() {
        Random random = new Random(20261122);
        int universe = 512;
        for (int trial = 0; trial < 40; trial++) {
            RangeSet set = RangeSet.EMPTY;
            BitSet model = new BitSet(universe);
            for (int step = 0; step < 150; step++) {
                int a = random.nextInt(universe);
                int b = a + random.nextInt(Math.min(64, universe - a) + 1);
                Range r = Range.of(a, b);
                int op = random.nextInt(4);
                String what = "trial " + trial + " step " + step + " op " + op + " range " + r + " on " + set;
                switch (op) {
                    case 0 -> {
                        set = set.union(r);
                        model.set(a, b);
                    }
                    case 1 -> {
                        set = set.minus(r);
                        model.clear(a, b);
                    }
                    case 2 -> {
                        BitSet gaps = new BitSet();
                        gaps.set(a, b);
                        gaps.andNot(model);
                        assertThat(set.gaps(r)).as(what).isEqualTo(fromBits(gaps));
                        BitSet inside = (BitSet) model.clone();
                        inside.and(gaps(a, b));
                        assertThat(set.intersect(r)).as(what).isEqualTo(fromBits(inside));
                    }
                    default -> {
                        RangeSet other = randomSet(random, universe);
                        BitSet otherBits = toBits(other);
                        if (random.nextBoolean()) {
                            set = set.union(other);
                            model.or(otherBits);
                        } else {
                            set = set.minus(other);
                            model.andNot(otherBits);
                        }
                    }
                }
                assertThat(set).as(what).isEqualTo(fromBits(model));
                assertThat(set.totalLength()).as(what).isEqualTo(model.cardinality());
                boolean all = model.get(a, b).cardinality() == b - a;
                assertThat(set.encloses(r)).as(what).isEqualTo(all);
                RangeSet probe = randomSet(random, universe);
                BitSet outside = toBits(probe);
                outside.andNot(model);
                assertThat(set.encloses(probe)).as(what + " encloses " + probe).isEqualTo(outside.isEmpty());
                assertDisjointSortedNonAdjacent(set, what);
            }
        }
    }

    private static BitSet gaps(int a, int b) {
        BitSet s = new BitSet();
        s.set(a, b);
        return s;
    }

    private static RangeSet randomSet(Random random, int universe) {
        List<Range> ranges = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            int a = random.nextInt(universe);
            ranges.add(Range.of(a, a + random.nextInt(Math.min(40, universe - a) + 1)));
        }
        return RangeSet.ofAll(ranges);
    }

    private static BitSet toBits(RangeSet set) {
        BitSet bits = new BitSet();
        for (Range r : set) {
            bits.set((int) r.start(), (int) r.stop());
        }
        return bits;
    }

    private static RangeSet fromBits(BitSet bits) {
        List<Range> ranges = new ArrayList<>();
        int i = bits.nextSetBit(0);
        while (i >= 0) {
            int end = bits.nextClearBit(i);
            ranges.add(Range.of(i, end));
            i = bits.nextSetBit(end);
        }
        return RangeSet.ofAll(ranges);
    }

    private static void assertDisjointSortedNonAdjacent(RangeSet set, String what) {
        long previousStop = -1;
        for (Range r : set) {
            assertThat(r.length()).as(what).isPositive();
            assertThat(r.start()).as(what + ": ranges sorted, disjoint and not adjacent").isGreaterThan(previousStop);
            previousStop = r.stop();
        }
    }
}
