package io.rangestreams.internal;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns wanted bytes into requests: aligned to the block size (reads) or exactly as named (fetches),
 * minus what is held or already being fetched, near gaps coalesced (up to the maximum request size),
 * long gaps split. Stateless.
 */
final class Planner {

    private final EngineOptions options;

    Planner(EngineOptions options) {
        this.options = options;
    }

    /**
     * The requests to send for {@code wanted}, each gap widened to whole blocks: what a read plans,
     * guessing that the bytes around a small read are wanted soon.
     *
     * @param wanted the bytes a caller needs (resolved)
     * @param present bytes held or in flight, never requested again except between coalesced gaps
     * @param length the resource length, or -1 when not yet known
     */
    List<Range> plan(RangeSet wanted, RangeSet present, long length) {
        return plan(wanted, present, length, options.blockSize());
    }

    /**
     * The requests to send for {@code wanted} without widening it to blocks: what {@code fetch} and
     * {@code fetchAll} plan, whose caller named the bytes it wants (a vectored read of 100 scattered
     * 4 KiB ranges fetches 400 KiB, not 100 blocks). Near gaps are still coalesced.
     */
    List<Range> planExact(RangeSet wanted, RangeSet present, long length) {
        return plan(wanted, present, length, 1);
    }

    private List<Range> plan(RangeSet wanted, RangeSet present, long length, long block) {
        List<Range> aligned = new ArrayList<>();
        for (Range r : wanted) {
            long start = r.start() / block * block;
            long stop = ceil(r.stop(), block);
            if (length >= 0) {
                stop = Math.min(stop, length);
            }
            if (start < stop) {
                aligned.add(Range.of(start, stop));
            }
        }
        RangeSet gaps = RangeSet.ofAll(aligned).minus(present);
        List<Range> requests = new ArrayList<>();
        Range current = null;
        for (Range gap : gaps) {
            if (current != null && gap.start() - current.stop() <= options.maxGap()
                    && gap.stop() - current.start() <= options.maxRequestSize()) {
                current = Range.of(current.start(), gap.stop());
            } else {
                if (current != null) {
                    split(current, requests);
                }
                current = gap;
            }
        }
        if (current != null) {
            split(current, requests);
        }
        return requests;
    }

    private void split(Range r, List<Range> out) {
        long max = options.maxRequestSize();
        for (long s = r.start(); s < r.stop(); s += max) {
            out.add(Range.of(s, Math.min(r.stop(), s + max)));
        }
    }

    private static long ceil(long value, long block) {
        long q = value / block;
        long up = (q + (value % block == 0 ? 0 : 1));
        return up > Long.MAX_VALUE / block ? Long.MAX_VALUE - 1 : up * block;
    }
}
