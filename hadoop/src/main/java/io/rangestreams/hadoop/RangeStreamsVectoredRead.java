package io.rangestreams.hadoop;

import io.rangestreams.Range;
import io.rangestreams.RangeStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;
import org.apache.hadoop.fs.FileRange;
import org.apache.hadoop.fs.VectoredReadUtils;

/**
 * One {@code readVectored} call: validates the ranges at once (Hadoop's own rules: no overlap, none past
 * the end), then, on the file system's executor, fetches them all with one {@link RangeStream#fetchAll}
 * and copies each into a buffer from the caller's allocator, completing its future.
 */
final class RangeStreamsVectoredRead {

    private final RangeStream stream;
    private final long length;
    private final Executor executor;
    private final LongConsumer bytesRead;

    RangeStreamsVectoredRead(RangeStream stream, long length, Executor executor, LongConsumer bytesRead) {
        this.stream = stream;
        this.length = length;
        this.executor = executor;
        this.bytesRead = bytesRead;
    }

    /**
     * Validates the ranges, gives each a future, and starts the read.
     *
     * @throws EOFException if a range runs past the end or starts before 0
     * @throws IllegalArgumentException if ranges overlap
     */
    void start(List<? extends FileRange> ranges, IntFunction<ByteBuffer> allocate, Consumer<ByteBuffer> release)
            throws EOFException {
        List<? extends FileRange> sorted = VectoredReadUtils.validateAndSortRanges(ranges, Optional.of(length));
        List<CompletableFuture<ByteBuffer>> futures = new ArrayList<>(sorted.size());
        for (FileRange r : sorted) {
            CompletableFuture<ByteBuffer> f = new CompletableFuture<>();
            r.setData(f);
            futures.add(f);
        }
        if (sorted.isEmpty()) {
            return;
        }
        try {
            executor.execute(() -> run(sorted, futures, allocate, release));
        } catch (RejectedExecutionException e) {
            IOException closed = new IOException("file system closed: cannot read " + stream.uri(), e);
            futures.forEach(f -> f.completeExceptionally(closed));
        }
    }

    private void run(List<? extends FileRange> sorted, List<CompletableFuture<ByteBuffer>> futures,
            IntFunction<ByteBuffer> allocate, Consumer<ByteBuffer> release) {
        List<Range> wanted = new ArrayList<>(sorted.size());
        for (FileRange r : sorted) {
            if (r.getLength() > 0) {
                wanted.add(Range.of(r.getOffset(), r.getOffset() + r.getLength()));
            }
        }
        try {
            stream.fetchAll(wanted);
        } catch (IOException | RuntimeException e) {
            futures.forEach(f -> f.completeExceptionally(e));
            return;
        }
        for (int i = 0; i < sorted.size(); i++) {
            FileRange r = sorted.get(i);
            ByteBuffer buffer = null;
            try {
                buffer = allocate.apply(r.getLength());
                copy(r, buffer);
                buffer.flip();
                futures.get(i).complete(buffer);
            } catch (IOException | RuntimeException e) {
                if (buffer != null) {
                    release.accept(buffer);
                }
                futures.get(i).completeExceptionally(e);
            }
        }
    }

    private void copy(FileRange r, ByteBuffer buffer) throws IOException {
        long at = r.getOffset();
        int end = buffer.position() + r.getLength();
        ByteBuffer window = buffer.duplicate().limit(end);
        while (window.hasRemaining()) {
            int n = stream.read(at, window);
            if (n < 0) {
                throw new EOFException("end of " + stream.uri() + " at " + at + " while reading " + r);
            }
            at += n;
        }
        buffer.position(end);
        bytesRead.accept(r.getLength());
    }
}
