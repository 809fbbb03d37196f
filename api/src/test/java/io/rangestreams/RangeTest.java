package io.rangestreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RangeTest {

    @Nested
    class Construction {
        @Test
        void emptyIsZeroToZero() {
            assertThat(Range.EMPTY).isEqualTo(Range.of(0, 0));
            assertThat(Range.EMPTY.isEmpty()).isTrue();
            assertThat(Range.EMPTY.length()).isZero();
            assertThat(Range.EMPTY).hasToString("[0, 0)");
        }

        @Test
        void halfOpenRangeKnowsItsLengthAndMembers() {
            Range r = Range.of(0, 3);
            assertThat(r.length()).isEqualTo(3);
            assertThat(r.contains(0)).isTrue();
            assertThat(r.contains(2)).isTrue();
            assertThat(r.contains(3)).as("stop is exclusive").isFalse();
            assertThat(r).hasToString("[0, 3)");
        }

        @Test
        void invertedRangeNamesBothValues() {
            assertThatThrownBy(() -> Range.of(10, 3))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("10").hasMessageContaining("3");
            assertThatThrownBy(() -> Range.of(-3, -10))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-3").hasMessageContaining("-10");
        }

        @Test
        void overflowingPositionsAreRejected() {
            assertThatThrownBy(() -> Range.of(Long.MIN_VALUE, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("overflow");
            assertThatThrownBy(() -> Range.from(Range.END)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void suffixMustBePositive() {
            assertThatThrownBy(() -> Range.suffix(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("0");
            assertThatThrownBy(() -> Range.suffix(-5)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-5");
        }
    }

    @Nested
    class FromTheEnd {
        @Test
        void negativePositionsResolveLikePythonSlices() {
            assertThat(Range.of(-30, -10).resolve(100)).isEqualTo(Range.of(70, 90));
            assertThat(Range.of(-30, -10)).hasToString("[-30, -10)");
            assertThat(Range.of(5, -5).resolve(100)).isEqualTo(Range.of(5, 95));
        }

        @Test
        void zeroStopWithNegativeStartMeansToTheEnd() {
            Range r = Range.of(-22, 0);
            assertThat(r.isResolved()).isFalse();
            assertThat(r.isSuffix()).isTrue();
            assertThat(r.resolve(100)).isEqualTo(Range.of(78, 100));
        }

        @Test
        void fromAndSuffixRunToTheEnd() {
            assertThat(Range.from(10).resolve(100)).isEqualTo(Range.of(10, 100));
            assertThat(Range.from(10)).hasToString("[10, end)");
            assertThat(Range.suffix(7).resolve(100)).isEqualTo(Range.of(93, 100));
        }

        @Test
        void suffixLongerThanTheResourceIsClampedToTheStart() {
            assertThat(Range.suffix(500).resolve(100)).isEqualTo(Range.of(0, 100));
        }

        @Test
        void unresolvedRangesRefuseLengthUntilResolved() {
            assertThatThrownBy(() -> Range.suffix(5).length()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("resolve");
            assertThat(Range.suffix(5).isEmpty()).isFalse();
        }

        @Test
        void resolvingToAnInvertedRangeNamesTheLength() {
            assertThatThrownBy(() -> Range.of(-5, 3).resolve(100))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("100").hasMessageContaining("95");
            assertThatThrownBy(() -> Range.of(0, 3).resolve(-1)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void absolutePositionsPastTheEndAreKept() {
            assertThat(Range.of(90, 200).resolve(100)).isEqualTo(Range.of(90, 200));
        }
    }

    @Test
    void intersectionAndOverlap() {
        assertThat(Range.of(0, 10).overlaps(Range.of(10, 20))).isFalse();
        assertThat(Range.of(0, 11).overlaps(Range.of(10, 20))).isTrue();
        assertThat(Range.of(0, 15).intersect(Range.of(10, 20))).isEqualTo(Range.of(10, 15));
        assertThat(Range.of(0, 5).intersect(Range.of(10, 20))).isEqualTo(Range.EMPTY);
    }
}
