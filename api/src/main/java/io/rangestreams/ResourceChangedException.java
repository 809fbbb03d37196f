package io.rangestreams;

/**
 * The remote resource changed (its validator or length differs from the held version) and the
 * client's options forbid a silent refetch. The held bytes of the old version were dropped.
 */
public class ResourceChangedException extends RangeStreamException {
    private static final long serialVersionUID = 1L;

    /** An error naming the resource and the old and new validators. */
    public ResourceChangedException(String message) {
        super(message);
    }
}
