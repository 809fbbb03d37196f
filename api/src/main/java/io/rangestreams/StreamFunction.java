package io.rangestreams;

import java.io.IOException;

/**
 * What a {@link Batch} does with each URI's stream: reads what it needs and returns a value. The batch
 * opens the stream before the call and closes it after.
 *
 * @param <S> the stream type: {@link RangeStream}, or a format's (such as {@code ZipStream})
 * @param <T> the value made from each stream
 */
@FunctionalInterface
public interface StreamFunction<S extends RangeStream, T> {

    /**
     * Makes this URI's value. Called on one of the batch's threads, several at once for several URIs.
     *
     * @throws IOException if the stream fails; the URI's {@link Outcome} is then that failure
     */
    T apply(S stream) throws IOException;
}
