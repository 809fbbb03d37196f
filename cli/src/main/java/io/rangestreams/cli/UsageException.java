package io.rangestreams.cli;

import java.util.Optional;

/**
 * A command line that cannot run as written: an unknown verb or option, a missing or malformed
 * argument. Exit status 2, with a hint to the help of the verb concerned.
 */
final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Optional<String> verb;

    /** A usage error of the command line as a whole. */
    UsageException(String message) {
        this(message, Optional.empty());
    }

    /** A usage error of {@code verb}'s arguments, if a verb is known. */
    UsageException(String message, Optional<String> verb) {
        super(message);
        this.verb = verb;
    }

    /** The verb whose help the hint names. */
    Optional<String> verb() {
        return verb;
    }
}
