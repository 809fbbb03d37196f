package io.rangestreams.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Objects;
import java.util.Optional;

/**
 * Standard output of a command: bytes ({@link #binary()}) and text ({@link #text()}) through one 64 KiB
 * buffer. The first error writing it is kept and thrown as an {@link OutputException} by every later
 * write to {@link #binary()}, by {@link #check()} and by {@link #flush()}, so a command ends as soon as
 * its reader is gone ({@code get | head}) and fetches nothing more. ({@link PrintStream} alone swallows
 * write errors, which is why text goes through the same check.) Not thread-safe.
 */
final class CommandOutput {

    private final FailFast sink;
    private final BufferedOutputStream buffer;
    private final PrintStream text;
    private final OutputStream binary;

    /**
     * Output to {@code out}.
     *
     * @param lineFlushed flush the text at every line end (on a terminal)
     * @param charset the charset of the text
     */
    CommandOutput(OutputStream out, boolean lineFlushed, Charset charset) {
        this.sink = new FailFast(Objects.requireNonNull(out, "out"));
        this.buffer = new BufferedOutputStream(sink, 64 * 1024);
        this.text = new PrintStream(buffer, lineFlushed, charset);
        this.binary = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                check();
                buffer.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                check();
                buffer.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                CommandOutput.this.flush();
            }
        };
    }

    /** Bytes, for {@code get} and {@code cat}; a write after an output error throws it. */
    OutputStream binary() {
        return binary;
    }

    /** Text, for listings and messages; call {@link #check()} after a batch of lines. */
    PrintStream text() {
        return text;
    }

    /** Throws the output's first write error, if there was one. */
    void check() throws OutputException {
        Optional<OutputException> f = sink.failure();
        if (f.isPresent()) {
            throw f.get();
        }
    }

    /** Writes out what is buffered, then {@link #check()}s. */
    void flush() throws OutputException {
        text.flush();
        check();
    }

    /** Passes writes through until the first error, then throws that error on every write. */
    private static final class FailFast extends OutputStream {
        private final OutputStream out;
        private OutputException failure;

        FailFast(OutputStream out) {
            this.out = out;
        }

        Optional<OutputException> failure() {
            return Optional.ofNullable(failure);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (failure != null) {
                throw failure;
            }
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                failure = new OutputException(e);
                throw failure;
            }
        }

        @Override
        public void flush() throws IOException {
            if (failure != null) {
                throw failure;
            }
            try {
                out.flush();
            } catch (IOException e) {
                failure = new OutputException(e);
                throw failure;
            }
        }
    }
}
