package io.rangestreams;

/**
 * A half-open byte range {@code [start, stop)} of a remote resource.
 *
 * <p>Positions may be counted from the end, as in Python slicing: a negative {@code start} or
 * {@code stop} is relative to the length of the resource, and {@link #END} as {@code stop} means
 * "to the end". {@code Range.of(-30, -10)} is the 20 bytes ending 10 bytes before the end;
 * {@code Range.of(-22, 0)} is the last 22 bytes (a {@code stop} of zero with a negative {@code start}
 * means "to the end"). Such a range is <em>unresolved</em> until {@link #resolve(long)} is given the
 * length.
 *
 * <p>{@code toString()} gives the interval form, e.g. {@code [0, 3)}, {@code [-30, -10)}, {@code [5, end)}.
 *
 * @param start first byte, inclusive; negative counts from the end
 * @param stop byte after the last, exclusive; negative counts from the end; {@link #END} for the end
 */
public record Range(long start, long stop) {

    /** The {@code stop} of a range that runs to the end of the resource, whatever its length. */
    public static final long END = Long.MAX_VALUE;

    /** The empty range {@code [0, 0)}; opening a stream with it probes the length only. */
    public static final Range EMPTY = new Range(0, 0);

    /**
     * Validates the range.
     *
     * @throws IllegalArgumentException if both ends are absolute and {@code start > stop}, if both are
     *     negative and {@code start > stop}, or if {@code start} is {@link #END} or {@code Long.MIN_VALUE}
     */
    public Range {
        if (start == Long.MIN_VALUE || stop == Long.MIN_VALUE) {
            throw new IllegalArgumentException("range position overflows: [" + start + ", " + stop + ")");
        }
        if (start == END) {
            throw new IllegalArgumentException("range start cannot be the open end: [end, " + stop + ")");
        }
        if (start >= 0 && stop >= 0 && start > stop) {
            throw new IllegalArgumentException("range start " + start + " is after its stop " + stop);
        }
        if (start < 0 && stop < 0 && start > stop) {
            throw new IllegalArgumentException("range start " + start + " is after its stop " + stop
                    + " (both counted from the end)");
        }
    }

    /**
     * The range {@code [start, stop)}. Negative positions count from the end; a {@code stop} of zero
     * with a negative {@code start} means "to the end".
     */
    public static Range of(long start, long stop) {
        if (start < 0 && stop == 0) {
            return new Range(start, END);
        }
        return new Range(start, stop);
    }

    /** The range from {@code start} to the end of the resource. */
    public static Range from(long start) {
        return new Range(start, END);
    }

    /**
     * The last {@code n} bytes of the resource (all of it if it is shorter), sent as {@code bytes=-n}.
     *
     * @throws IllegalArgumentException if {@code n} is not positive
     */
    public static Range suffix(long n) {
        if (n <= 0) {
            throw new IllegalArgumentException("suffix length must be positive, was " + n);
        }
        return new Range(-n, END);
    }

    /** Whether both ends are absolute positions, so the range means the same for any length. */
    public boolean isResolved() {
        return start >= 0 && stop >= 0 && stop != END;
    }

    /** Whether this is a suffix range: counted from the end and running to the end. */
    public boolean isSuffix() {
        return start < 0 && stop == END;
    }

    /**
     * This range with every relative position made absolute for a resource of {@code length} bytes.
     * A start before the beginning is clamped to zero (as HTTP does for {@code bytes=-n}); an open end
     * becomes {@code length}. Absolute positions are kept, even past the end.
     *
     * @throws IllegalArgumentException if {@code length} is negative or the resolved start is after the
     *     resolved stop
     */
    public Range resolve(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative, was " + length);
        }
        if (isResolved()) {
            return this;
        }
        long s = start < 0 ? Math.max(0, length + start) : start;
        long e = stop == END ? Math.max(length, s) : stop < 0 ? Math.max(0, length + stop) : stop;
        if (s > e) {
            throw new IllegalArgumentException("range " + this + " is inverted for length " + length
                    + ": resolves to start " + s + " after stop " + e);
        }
        return new Range(s, e);
    }

    /**
     * The number of bytes in this resolved range.
     *
     * @throws IllegalStateException if the range is unresolved
     */
    public long length() {
        requireResolved();
        return stop - start;
    }

    /** Whether this resolved range holds no byte. Unresolved ranges are never empty. */
    public boolean isEmpty() {
        return isResolved() && start == stop;
    }

    /**
     * Whether the resolved range contains the absolute position.
     *
     * @throws IllegalStateException if the range is unresolved
     */
    public boolean contains(long position) {
        requireResolved();
        return position >= start && position < stop;
    }

    /** Whether this resolved range and {@code other} share at least one byte. */
    public boolean overlaps(Range other) {
        requireResolved();
        other.requireResolved();
        return start < other.stop && other.start < stop;
    }

    /** The bytes both resolved ranges hold; {@link #EMPTY} when they do not overlap. */
    public Range intersect(Range other) {
        requireResolved();
        other.requireResolved();
        long s = Math.max(start, other.start);
        long e = Math.min(stop, other.stop);
        return s < e ? new Range(s, e) : EMPTY;
    }

    private void requireResolved() {
        if (!isResolved()) {
            throw new IllegalStateException("range " + this + " is not resolved; call resolve(length) first");
        }
    }

    @Override
    public String toString() {
        return "[" + start + ", " + (stop == END ? "end" : Long.toString(stop)) + ")";
    }
}
