package io.rangestreams.cli;

import java.io.IOException;

/**
 * Writing the command's output failed (a closed pipe, a full disk): the command ends at once. Kept
 * apart from the network's errors so the command line can tell the reader stopping from a failure.
 */
final class OutputException extends IOException {

    private static final long serialVersionUID = 1L;

    OutputException(IOException cause) {
        super("cannot write the output: " + cause.getMessage(), cause);
    }

    /**
     * Whether the reader closed the pipe ({@code EPIPE}, as when piped into {@code head}), which Unix
     * tools end on without a message.
     */
    boolean isClosedPipe() {
        String m = getCause().getMessage();
        return m != null && (m.contains("Broken pipe") || m.contains("Stream closed"));
    }
}
