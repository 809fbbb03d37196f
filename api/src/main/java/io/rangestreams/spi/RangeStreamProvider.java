package io.rangestreams.spi;

import io.rangestreams.RangeStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Makes format-aware streams (zip, tar, png, conda) over a plain {@link RangeStream}; found with
 * {@link java.util.ServiceLoader} through {@code META-INF/services/io.rangestreams.spi.RangeStreamProvider}.
 *
 * <p>A provider is a light factory with a public no-argument constructor; it is thread-safe.
 *
 * @param <S> the stream type it makes
 */
public interface RangeStreamProvider<S extends RangeStream> {

    /** The format's name: {@code zip}, {@code tar}, {@code png}, {@code conda}. */
    String format();

    /** The type of stream this provider makes. */
    Class<S> type();

    /**
     * Wraps an open stream; the format stream owns it and closes it.
     *
     * @throws IOException if the resource is not of this format (the message says why)
     */
    S open(RangeStream stream) throws IOException;

    /**
     * Whether a resource looks like this format, from its file name and its first bytes (which may be
     * fewer than the format's magic, or empty).
     */
    default boolean recognises(String fileName, ByteBuffer head) {
        return false;
    }
}
