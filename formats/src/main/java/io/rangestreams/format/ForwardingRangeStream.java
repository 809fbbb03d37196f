package io.rangestreams.format;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.RangeStream;
import io.rangestreams.ResourceInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.Collection;
import java.util.Objects;

/**
 * A {@link RangeStream} that forwards every method to a base stream, for format streams that add
 * methods on top of the plain byte access. The format stream owns the base and closes it.
 *
 * <p>Thread safety is the base stream's.
 */
public abstract class ForwardingRangeStream implements RangeStream {

    private final RangeStream base;

    /** Forwards to {@code base}, which this stream now owns. */
    protected ForwardingRangeStream(RangeStream base) {
        this.base = Objects.requireNonNull(base, "base");
    }

    /** The stream every call is forwarded to. */
    protected final RangeStream base() {
        return base;
    }

    @Override
    public URI uri() {
        return base.uri();
    }

    @Override
    public long length() throws IOException {
        return base.length();
    }

    @Override
    public ResourceInfo resource() throws IOException {
        return base.resource();
    }

    @Override
    public void fetch(Range range) throws IOException {
        base.fetch(range);
    }

    @Override
    public void fetchAll(Collection<Range> ranges) throws IOException {
        base.fetchAll(ranges);
    }

    @Override
    public RangeSet ranges() {
        return base.ranges();
    }

    @Override
    public int read(long position, ByteBuffer dst) throws IOException {
        return base.read(position, dst);
    }

    @Override
    public byte[] read(Range range) throws IOException {
        return base.read(range);
    }

    @Override
    public SeekableByteChannel channel() {
        return base.channel();
    }

    @Override
    public InputStream inputStream() {
        return base.inputStream();
    }

    @Override
    public Stats stats() {
        return base.stats();
    }

    @Override
    public void close() {
        base.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{" + base.uri() + "}";
    }
}
