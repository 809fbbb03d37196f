package io.rangestreams.internal;

/**
 * Decides how far past a read to fetch. Sequentiality is tracked per read position rather than per
 * stream, so several channels or input streams reading one resource each keep their own window: a
 * read that starts where an earlier read ended continues that cursor; any other read is a jump and
 * starts a new cursor with no readahead (replacing the least recently used one).
 *
 * <p>A cursor's window starts at the initial readahead on its second read and doubles, up to the
 * maximum, each time a read ends past the bytes the previous window covered, so small sequential
 * records inside one window do not inflate it. An initial readahead of 0 turns readahead off.
 *
 * <p>Not thread-safe: the stream calls it under its lock.
 */
final class Readahead {

    /** How many independent sequential readers are followed at once. */
    static final int CURSORS = 8;

    private final long initial;
    private final long max;
    private final long[] ends = new long[CURSORS];
    private final long[] windows = new long[CURSORS];
    private final long[] marks = new long[CURSORS];
    private final long[] used = new long[CURSORS];
    private long clock;

    Readahead(long initial, long max) {
        this.initial = initial;
        this.max = max;
        java.util.Arrays.fill(ends, -1);
    }

    /**
     * Records a read of {@code [position, stop)} and returns how many bytes past {@code stop} are
     * worth fetching: 0 after a jump.
     */
    long next(long position, long stop) {
        for (int i = 0; i < CURSORS; i++) {
            if (used[i] != 0 && ends[i] == position) {
                if (windows[i] == 0) {
                    windows[i] = initial;
                    marks[i] = stop + windows[i];
                } else if (stop > marks[i]) {
                    windows[i] = Math.min(max, windows[i] * 2);
                    marks[i] = stop + windows[i];
                }
                ends[i] = stop;
                used[i] = ++clock;
                return windows[i];
            }
        }
        int victim = 0;
        for (int i = 1; i < CURSORS; i++) {
            if (used[i] < used[victim]) {
                victim = i;
            }
        }
        ends[victim] = stop;
        windows[victim] = 0;
        marks[victim] = stop;
        used[victim] = ++clock;
        return 0;
    }
}
