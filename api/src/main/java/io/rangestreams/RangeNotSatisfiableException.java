package io.rangestreams;

/** The server answered 416, or the requested range lies wholly past the end of the resource. */
public class RangeNotSatisfiableException extends RangeStreamException {
    private static final long serialVersionUID = 1L;

    /** An error naming the resource, the range asked for and the known length. */
    public RangeNotSatisfiableException(String message) {
        super(message);
    }
}
