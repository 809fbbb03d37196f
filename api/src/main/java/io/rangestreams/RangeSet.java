package io.rangestreams;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * An immutable set of bytes held as sorted, disjoint, non-adjacent resolved ranges: adjacent or
 * overlapping ranges are merged and empty ranges dropped. Iteration yields the ranges in order.
 *
 * <p>{@code toString()} gives e.g. {@code RangeSet{[0, 3), [10, 20)}}.
 */
public final class RangeSet implements Iterable<Range> {

    /** The set holding no byte. */
    public static final RangeSet EMPTY = new RangeSet(new long[0], new long[0]);

    // starts[i] < stops[i] < starts[i + 1]: strictly increasing, so adjacent ranges are merged.
    private final long[] starts;
    private final long[] stops;

    private RangeSet(long[] starts, long[] stops) {
        this.starts = starts;
        this.stops = stops;
    }

    /**
     * The set of the given resolved ranges, merged.
     *
     * @throws IllegalArgumentException if a range is unresolved
     */
    public static RangeSet of(Range... ranges) {
        return ofAll(Arrays.asList(ranges));
    }

    /**
     * The set of the given resolved ranges, merged.
     *
     * @throws IllegalArgumentException if a range is unresolved
     */
    public static RangeSet ofAll(Iterable<Range> ranges) {
        List<Range> sorted = new ArrayList<>();
        for (Range r : ranges) {
            requireResolved(r);
            if (!r.isEmpty()) {
                sorted.add(r);
            }
        }
        sorted.sort((a, b) -> Long.compare(a.start(), b.start()));
        long[] s = new long[sorted.size()];
        long[] e = new long[sorted.size()];
        int n = 0;
        for (Range r : sorted) {
            if (n > 0 && r.start() <= e[n - 1]) {
                e[n - 1] = Math.max(e[n - 1], r.stop());
            } else {
                s[n] = r.start();
                e[n] = r.stop();
                n++;
            }
        }
        return n == 0 ? EMPTY : new RangeSet(Arrays.copyOf(s, n), Arrays.copyOf(e, n));
    }

    /**
     * This set with the bytes of {@code range} added. Only the ranges it overlaps or touches are looked
     * at; the others are copied as they are, so a store adding pieces one by one does not walk them all.
     */
    public RangeSet union(Range range) {
        requireResolved(range);
        if (range.isEmpty()) {
            return this;
        }
        int first = firstStoppingAtOrAfter(range.start());
        int last = firstStartingAfter(range.stop()); // ranges first..last-1 merge with the new one
        long start = first < last ? Math.min(starts[first], range.start()) : range.start();
        long stop = first < last ? Math.max(stops[last - 1], range.stop()) : range.stop();
        int n = size() - (last - first) + 1;
        long[] s = new long[n];
        long[] e = new long[n];
        System.arraycopy(starts, 0, s, 0, first);
        System.arraycopy(stops, 0, e, 0, first);
        s[first] = start;
        e[first] = stop;
        System.arraycopy(starts, last, s, first + 1, size() - last);
        System.arraycopy(stops, last, e, first + 1, size() - last);
        return new RangeSet(s, e);
    }

    /** This set with the bytes of {@code other} added. */
    public RangeSet union(RangeSet other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        Builder b = new Builder(size() + other.size());
        int i = 0;
        int j = 0;
        while (i < size() || j < other.size()) {
            boolean takeMine = j >= other.size() || (i < size() && starts[i] <= other.starts[j]);
            if (takeMine) {
                b.add(starts[i], stops[i]);
                i++;
            } else {
                b.add(other.starts[j], other.stops[j]);
                j++;
            }
        }
        return b.build();
    }

    /** This set without the bytes of {@code range}. */
    public RangeSet minus(Range range) {
        requireResolved(range);
        if (range.isEmpty()) {
            return this;
        }
        return minus(new RangeSet(new long[] {range.start()}, new long[] {range.stop()}));
    }

    /** This set without the bytes of {@code other}. */
    public RangeSet minus(RangeSet other) {
        if (other.isEmpty() || isEmpty()) {
            return this;
        }
        Builder b = new Builder(size() + other.size());
        int j = 0;
        for (int i = 0; i < size(); i++) {
            long s = starts[i];
            long e = stops[i];
            while (j < other.size() && other.stops[j] <= s) {
                j++;
            }
            int k = j;
            while (s < e && k < other.size() && other.starts[k] < e) {
                if (other.starts[k] > s) {
                    b.add(s, other.starts[k]);
                }
                s = Math.max(s, other.stops[k]);
                k++;
            }
            if (s < e) {
                b.add(s, e);
            }
        }
        return b.build();
    }

    /** The bytes of this set that lie inside {@code range}. */
    public RangeSet intersect(Range range) {
        requireResolved(range);
        Builder b = new Builder(1);
        for (int i = firstStoppingAtOrAfter(range.start()); i < size() && starts[i] < range.stop(); i++) {
            b.add(Math.max(starts[i], range.start()), Math.min(stops[i], range.stop()));
        }
        return b.build();
    }

    /** What is missing from this set inside {@code range}: {@code RangeSet.of(range).minus(this)}. */
    public RangeSet gaps(Range range) {
        requireResolved(range);
        return RangeSet.of(range).minus(this);
    }

    /** Whether every byte of {@code range} is in this set. An empty range is always enclosed. */
    public boolean encloses(Range range) {
        requireResolved(range);
        if (range.isEmpty()) {
            return true;
        }
        int i = indexOfRangeContaining(range.start());
        return i >= 0 && stops[i] >= range.stop();
    }

    /** Whether every byte of {@code other} is in this set. */
    public boolean encloses(RangeSet other) {
        for (int i = 0; i < other.size(); i++) {
            int j = indexOfRangeContaining(other.starts[i]);
            if (j < 0 || stops[j] < other.stops[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the byte at {@code position} is in this set. */
    public boolean contains(long position) {
        return indexOfRangeContaining(position) >= 0;
    }

    /** The range of this set that contains {@code position}, if any. */
    public Optional<Range> rangeContaining(long position) {
        int i = indexOfRangeContaining(position);
        return i < 0 ? Optional.empty() : Optional.of(new Range(starts[i], stops[i]));
    }

    /** The index of the first range whose stop is at or after {@code position}, or {@link #size()}. */
    private int firstStoppingAtOrAfter(long position) {
        int i = Arrays.binarySearch(stops, position);
        return i >= 0 ? i : -i - 1;
    }

    /** The index of the first range that starts after {@code position}, or {@link #size()}. */
    private int firstStartingAfter(long position) {
        int i = Arrays.binarySearch(starts, position);
        return i >= 0 ? i + 1 : -i - 1;
    }

    private int indexOfRangeContaining(long position) {
        int i = Arrays.binarySearch(starts, position);
        if (i < 0) {
            i = -i - 2;
        }
        return i >= 0 && position < stops[i] ? i : -1;
    }

    /** The number of bytes in the set. */
    public long totalLength() {
        long total = 0;
        for (int i = 0; i < size(); i++) {
            total += stops[i] - starts[i];
        }
        return total;
    }

    /** Whether the set holds no byte. */
    public boolean isEmpty() {
        return starts.length == 0;
    }

    /** The number of disjoint ranges. */
    public int size() {
        return starts.length;
    }

    /** The ranges, in order. */
    public List<Range> ranges() {
        List<Range> out = new ArrayList<>(size());
        for (Range r : this) {
            out.add(r);
        }
        return out;
    }

    /** The ranges, in order, as a stream. */
    public Stream<Range> stream() {
        return StreamSupport.stream(spliterator(), false);
    }

    @Override
    public Iterator<Range> iterator() {
        return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < starts.length;
            }

            @Override
            public Range next() {
                if (i >= starts.length) {
                    throw new NoSuchElementException();
                }
                Range r = new Range(starts[i], stops[i]);
                i++;
                return r;
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RangeSet other && Arrays.equals(starts, other.starts) && Arrays.equals(stops, other.stops);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(starts), Arrays.hashCode(stops));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("RangeSet{");
        for (int i = 0; i < size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('[').append(starts[i]).append(", ").append(stops[i]).append(')');
        }
        return sb.append('}').toString();
    }

    private static void requireResolved(Range r) {
        Objects.requireNonNull(r, "range");
        if (!r.isResolved()) {
            throw new IllegalArgumentException("a RangeSet holds resolved ranges only, got " + r);
        }
    }

    /** Appends ranges in order of start, merging overlapping and adjacent ones. */
    private static final class Builder {
        private long[] s;
        private long[] e;
        private int n;

        Builder(int capacity) {
            s = new long[Math.max(1, capacity)];
            e = new long[Math.max(1, capacity)];
        }

        void add(long start, long stop) {
            if (start >= stop) {
                return;
            }
            if (n > 0 && start <= e[n - 1]) {
                e[n - 1] = Math.max(e[n - 1], stop);
                return;
            }
            if (n == s.length) {
                s = Arrays.copyOf(s, n * 2);
                e = Arrays.copyOf(e, n * 2);
            }
            s[n] = start;
            e[n] = stop;
            n++;
        }

        RangeSet build() {
            return n == 0 ? EMPTY : new RangeSet(Arrays.copyOf(s, n), Arrays.copyOf(e, n));
        }
    }
}
