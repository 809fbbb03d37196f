package io.rangestreams.internal;

import io.rangestreams.Range;
import io.rangestreams.StreamBuffer;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.ResourceVersion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A {@code 200} to a ranged request: either the file changed (its {@code If-Range} failed) or the server
 * ignores {@code Range}, and the stream then reads this one body, spooled through a {@link StreamBuffer},
 * for every read from now on.
 */
final class Fallback {

    private static final Log LOG = Log.of(Fallback.class);

    private final StreamContext context;
    private final ResourceState state;
    private final VersionSync versions;
    private RangeResponse unmeasured; // the 200 whose body gave no length, until it ends; guarded by state

    Fallback(StreamContext context, ResourceState state, VersionSync versions) {
        this.context = context;
        this.state = state;
        this.versions = versions;
    }

    /**
     * Handles a whole body answered for a range.
     *
     * @param known the version held when the request was sent, if any
     * @return whether the body was taken over (by the fallback's buffer, which closes it); false when the
     *     file changed and the caller is to close it and fetch again
     */
    boolean wholeBody(ExchangeResult.WholeBody whole, Optional<ResourceVersion> known) throws IOException {
        SentRequest sent = whole.sent();
        RangeResponse response = sent.response();
        Optional<ResourceVersion> v = whole.version();
        if (known.isPresent() && (v.isEmpty() || !known.get().isSameVersion(v.get()))) {
            // The If-Range did not match: the file changed. Drop what is held and refetch.
            if (v.isPresent()) {
                versions.learn(v.get(), response, true);
            } else {
                versions.changed(known.get(), Optional.empty());
            }
            return false;
        }
        LOG.debug("{0} ignores Range (answered 200); serving from one streamed download", context.uri());
        // The buffer closes the body when it is closed; that ends the request. Past the bound, the body
        // fails with an error naming it and closes the connection, so an endless body costs bounded disk.
        long bound = context.options().fallbackMaxBytes(context.store().maxBytes());
        StreamBuffer buffer = StreamBuffer.builder(new BoundedBody(sent, context.uri(), bound))
                .memoryLimit(context.options().fallbackMemoryLimit())
                .expectedLength(v.map(x -> OptionalLong.of(x.length())).orElse(OptionalLong.empty()))
                .spillDirectory(context.options().spillDirectory())
                .build();
        synchronized (state) {
            if (state.fallback != null || state.closed) {
                buffer.close();
                return true;
            }
            state.fallback = buffer;
            if (v.isPresent()) {
                state.versions.adopt(v.get());
                state.versions.info(VersionSync.infoOf(response, v.get(), false));
            } else {
                // No length given: it is learned when the body ends; reads are served as their bytes arrive.
                unmeasured = response;
            }
        }
        context.events().fallback(context.uri(), response.status());
        return true;
    }

    /**
     * The length, or at least {@code stop} while the body goes on: pulls the fallback's body up to
     * {@code stop}, and adopts the length once the body ended there. Empty when there is no fallback or its
     * length is already adopted.
     */
    Optional<Long> lengthReaching(long stop) throws IOException {
        StreamBuffer buffer;
        synchronized (state) {
            if (unmeasured == null) {
                return Optional.empty();
            }
            buffer = state.fallback;
        }
        if (stop > 0) {
            buffer.read(stop - 1, 1);
        }
        OptionalLong length = buffer.length();
        return Optional.of(length.isPresent() ? adopt(length.getAsLong()) : buffer.available());
    }

    /** The whole length of a body that gave none, reading it to its end; empty when there is none such. */
    Optional<Long> measure() throws IOException {
        StreamBuffer buffer;
        synchronized (state) {
            if (unmeasured == null) {
                return Optional.empty();
            }
            buffer = state.fallback;
        }
        long pos = buffer.available();
        while (buffer.read(pos, Receiver.CHUNK).length > 0) {
            pos = buffer.available();
        }
        return Optional.of(adopt(buffer.length().orElse(buffer.available())));
    }

    private long adopt(long length) {
        synchronized (state) {
            if (unmeasured != null) {
                ResourceVersion learned = Exchange.versionOf(unmeasured, length);
                state.versions.adopt(learned);
                state.versions.info(VersionSync.infoOf(unmeasured, learned, false));
                unmeasured = null;
            }
            return length;
        }
    }

    /** The fallback's buffer, once the stream reads through it. */
    Optional<StreamBuffer> buffer() {
        synchronized (state) {
            return Optional.ofNullable(state.fallback);
        }
    }

    /** Copies {@code wanted} from the fallback's buffer into {@code dst}. */
    static int copy(StreamBuffer buffer, Range wanted, ByteBuffer dst) throws IOException {
        int total = 0;
        long pos = wanted.start();
        while (pos < wanted.stop() && dst.hasRemaining()) {
            int size = (int) Math.min(Math.min(wanted.stop() - pos, dst.remaining()), Receiver.CHUNK);
            byte[] bytes = buffer.read(pos, size);
            if (bytes.length == 0) {
                break;
            }
            dst.put(bytes);
            pos += bytes.length;
            total += bytes.length;
        }
        return total;
    }
}
