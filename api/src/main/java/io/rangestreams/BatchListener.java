package io.rangestreams;

import java.net.URI;

/**
 * Follows a {@link Batch} as it runs: a progress bar, a log line per URI.
 *
 * <p>Calls come from the batch's threads but one at a time, in the order the batch saw what they tell,
 * each with the progress just after it: {@code done} goes up by one at each {@link #finished}, and the
 * last call is the {@code finished} that makes {@code done} equal {@code total}. A listener must be quick
 * (the batch waits for it) and should not throw (what it throws is logged and ignored). Every method
 * has an empty default.
 */
public interface BatchListener {

    /** A listener that does nothing. */
    BatchListener NONE = new BatchListener() {};

    /** Work on {@code uri} begins. */
    default void started(URI uri, BatchProgress progress) {}

    /** {@code bytes} more bytes of a response body for {@code uri} arrived. */
    default void received(URI uri, long bytes, BatchProgress progress) {}

    /**
     * A URI is done. For a cancelled batch, the URIs that had not started are told too, as failures
     * with a {@link java.util.concurrent.CancellationException}.
     */
    default void finished(Outcome<?> outcome, BatchProgress progress) {}
}
