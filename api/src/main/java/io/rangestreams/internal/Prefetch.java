package io.rangestreams.internal;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Keeps a sequential reader's next window on its way: when less than a window past the reader is held
 * or in flight, the next window is fetched in the background (streamed, once the window is at its
 * largest), so the network works while the reader consumes the bytes it has.
 */
final class Prefetch {

    private static final Log LOG = Log.of(Prefetch.class);

    private final StreamContext context;
    private final ResourceState state;
    private final ExecutorService executor;
    private final SingleFlight flights;
    private final StreamingReadahead streaming;
    private final long maxWindow;
    private final long streamSize;

    /**
     * @param maxWindow the largest readahead window
     * @param streamSize how many bytes one streaming request asks for
     */
    Prefetch(StreamContext context, ResourceState state, ExecutorService executor, SingleFlight flights,
            StreamingReadahead streaming, long maxWindow, long streamSize) {
        this.context = context;
        this.state = state;
        this.executor = executor;
        this.flights = flights;
        this.streaming = streaming;
        this.maxWindow = maxWindow;
        this.streamSize = streamSize;
    }

    /**
     * Fetches the window after {@code from} in the background unless it is held or on its way. A failed
     * prefetch only logs: the reader then fetches the bytes itself.
     */
    void prefetch(long from, long window, long length) throws IOException {
        List<InFlight> registered = new ArrayList<>();
        synchronized (state) {
            VersionTracker t = state.versions;
            if (state.closed || state.fallback != null || t.versionOrNull() == null || !t.validated() || from >= length) {
                return;
            }
            RangeSet held = context.store().ranges(context.key());
            long end = held.rangeContaining(from).map(Range::stop).orElse(from);
            if (end - from >= window || end >= length) {
                return; // the common case of a sequential reader: its window is held
            }
            if (streaming.brings(end, Math.min(length, from + window))) {
                return; // the other common case: the stream it reads from brings the window
            }
            // Else the next window is asked for even while the current one still streams in: two
            // windows in flight hide a request's latency while the windows grow; once a reader
            // streams, this happens once per stream.
            RangeSet present = held.union(flights.flying());
            end = present.rangeContaining(from).map(Range::stop).orElse(from);
            if (end - from >= window || end >= length) {
                return;
            }
            for (Range r : flights.planner().plan(RangeSet.of(Range.of(end, Math.min(length, end + window))), present,
                    length)) {
                // A stream asks for streamSize bytes, and not for bytes held or on their way.
                long streamStop = Math.min(r.start() + streamSize,
                        present.intersect(Range.of(r.stop(), length)).stream().findFirst().map(Range::start)
                                .orElse(length));
                // A reader whose window is at its largest has read sequentially for a while: it streams.
                InFlight f = window >= maxWindow && maxWindow >= Receiver.CHUNK && streamStop > r.stop()
                        ? new InFlight(r, true, streamStop, "readahead")
                        : new InFlight(r, "readahead");
                state.inFlight.add(f);
                registered.add(f);
            }
        }
        for (InFlight f : registered) {
            LOG.debug("readahead {0} of {1}{2}", f.range(), context.uri(), f.streaming ? ", streaming" : "");
            try {
                executor.execute(() -> {
                    try {
                        flights.run(f);
                    } catch (IOException | RuntimeException e) {
                        LOG.debug("readahead {0} of {1} failed: {2}", f.range(), context.uri(), e);
                    }
                });
            } catch (RejectedExecutionException e) {
                flights.abandon(f, e);
            }
        }
    }
}
