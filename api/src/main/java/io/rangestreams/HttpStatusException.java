package io.rangestreams;

/** The server answered with a status this library did not expect for the request. */
public class HttpStatusException extends RangeStreamException {
    private static final long serialVersionUID = 1L;

    private final int status;

    /** An error for the given status, with a message naming the resource and the request. */
    public HttpStatusException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status the server sent. */
    public int status() {
        return status;
    }
}
