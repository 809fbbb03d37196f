package io.rangestreams.internal;

import io.rangestreams.Range;
import io.rangestreams.StreamBuffer;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.ResourceVersion;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A {@code 200} to a ranged request: either the file changed (its {@code If-Range} failed) or the server
 * ignores {@code Range}, and the stream then reads this one body, spooled through a {@link StreamBuffer},
 * for every read from now on.
 */
final class Fallback {

    private static final System.Logger LOG = System.getLogger(Fallback.class.getName());

    private final StreamContext context;
    private final ResourceState state;
    private final VersionSync versions;

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
        LOG.log(Level.DEBUG, "{0} ignores Range (answered 200); serving from one streamed download", context.uri());
        // The buffer closes its source when it is closed; that ends the request.
        InputStream body = new FilterInputStream(sent.bodyStream()) {
            @Override
            public void close() {
                sent.close();
            }
        };
        StreamBuffer buffer = StreamBuffer.builder(body)
                .memoryLimit(context.options().fallbackMemoryLimit())
                .expectedLength(v.map(x -> java.util.OptionalLong.of(x.length())).orElse(java.util.OptionalLong.empty()))
                .spillDirectory(context.options().spillDirectory())
                .build();
        synchronized (state) {
            if (state.fallback != null || state.closed) {
                buffer.close();
                return true;
            }
            state.fallback = buffer;
        }
        context.events().fallback(context.uri(), response.status());
        synchronized (state) {
            v.ifPresent(state.versions::adopt);
            state.versions.info(VersionSync.infoOf(response.uri(),
                    v.orElse(new ResourceVersion(0, Optional.empty(), Optional.empty())), response.header("Content-Type"),
                    false));
        }
        if (v.isEmpty()) {
            // No length given: the buffer learns it at the end of the stream.
            long length = buffer.length().isPresent() ? buffer.length().getAsLong() : drainLength(buffer);
            ResourceVersion learned = Exchange.versionOf(response, length);
            synchronized (state) {
                state.versions.adopt(learned);
                state.versions.info(VersionSync.infoOf(response.uri(), learned, response.header("Content-Type"), false));
            }
        }
        return true;
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

    private static long drainLength(StreamBuffer buffer) throws IOException {
        long pos = buffer.available();
        while (buffer.read(pos, Receiver.CHUNK).length > 0) {
            pos = buffer.available();
        }
        return buffer.length().orElse(buffer.available());
    }
}
