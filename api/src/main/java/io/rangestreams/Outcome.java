package io.rangestreams;

import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * What one URI of a {@link Batch} came to: the function's value, or what it failed with.
 *
 * @param <T> the value type
 */
public sealed interface Outcome<T> permits Outcome.Success, Outcome.Failure {

    /** The URI, as given to the batch. */
    URI uri();

    /** Whether the function returned a value. */
    boolean succeeded();

    /**
     * The value, or the failure thrown again.
     *
     * @throws IOException if the URI failed with one
     * @throws RuntimeException if the URI failed with one (a {@link CancellationException} when the batch
     *     was cancelled first)
     */
    T orElseThrow() throws IOException;

    /**
     * The function returned {@code value} for {@code uri}.
     *
     * @param <T> the value type
     */
    record Success<T>(URI uri, T value) implements Outcome<T> {
        /** Validates the outcome; the value may be null when the function returned null. */
        public Success {
            Objects.requireNonNull(uri, "uri");
        }

        @Override
        public boolean succeeded() {
            return true;
        }

        @Override
        public T orElseThrow() {
            return value;
        }
    }

    /**
     * Opening or reading {@code uri}, or the function, failed with {@code error}: an {@link IOException}
     * (such as an {@link HttpStatusException} for a 404, or a timeout), a {@link RuntimeException} (an
     * invalid URI is an {@link IllegalArgumentException}), or a {@link CancellationException} when the
     * batch was cancelled before the URI finished.
     *
     * @param <T> the value type
     */
    record Failure<T>(URI uri, Exception error) implements Outcome<T> {
        /** Validates the outcome. */
        public Failure {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(error, "error");
            if (!(error instanceof IOException) && !(error instanceof RuntimeException)) {
                throw new IllegalArgumentException("a failure is an IOException or a RuntimeException, was "
                        + error.getClass().getName());
            }
        }

        @Override
        public boolean succeeded() {
            return false;
        }

        @Override
        public T orElseThrow() throws IOException {
            if (error instanceof IOException e) {
                throw e;
            }
            throw (RuntimeException) error;
        }
    }
}
