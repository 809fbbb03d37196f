package io.rangestreams;

import java.io.IOException;

/** Base of the I/O errors this library raises; the message names the resource and what went wrong. */
public class RangeStreamException extends IOException {
    private static final long serialVersionUID = 1L;

    /** An error with a message naming the resource, the range and what was expected versus what came. */
    public RangeStreamException(String message) {
        super(message);
    }

    /** An error with a message and the underlying cause. */
    public RangeStreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
