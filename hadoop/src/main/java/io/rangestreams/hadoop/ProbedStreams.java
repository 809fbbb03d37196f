package io.rangestreams.hadoop;

import io.rangestreams.RangeStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Streams that {@code getFileStatus} opened to learn a file's length, kept for the {@code open} that
 * usually follows (Parquet, Spark): that stream already holds the file's last block, so the footer costs
 * no second request, and no revalidation either, as it is the same stream. Bounded: the least recently
 * probed stream is closed when a new one would pass the bound.
 *
 * <p>Thread-safe.
 */
final class ProbedStreams implements AutoCloseable {

    private final int capacity;
    private final Map<URI, RangeStream> streams = new LinkedHashMap<>();
    private boolean closed;

    ProbedStreams(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative, was " + capacity);
        }
        this.capacity = capacity;
    }

    /** Keeps {@code stream} for the next {@link #take} of its URI, replacing (and closing) an older one. */
    void put(RangeStream stream) {
        List<RangeStream> evicted = new ArrayList<>();
        synchronized (this) {
            if (closed || capacity == 0) {
                evicted.add(stream);
            } else {
                RangeStream old = streams.remove(stream.uri());
                if (old != null && old != stream) {
                    evicted.add(old);
                }
                streams.put(stream.uri(), stream);
                var it = streams.values().iterator();
                while (streams.size() > capacity) {
                    evicted.add(it.next());
                    it.remove();
                }
            }
        }
        evicted.forEach(RangeStream::close);
    }

    /** The kept stream of {@code uri}, handed over to the caller (who closes it), if there is one. */
    synchronized Optional<RangeStream> take(URI uri) {
        return Optional.ofNullable(streams.remove(uri));
    }

    /** Closes every kept stream; later {@link #put}s close the stream at once. */
    @Override
    public void close() {
        List<RangeStream> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(streams.values());
            streams.clear();
        }
        all.forEach(RangeStream::close);
    }
}
