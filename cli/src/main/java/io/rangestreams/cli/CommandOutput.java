package io.rangestreams.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

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
    private final BooleanSupplier lineFlushed;
    private final Charset charset;
    private final OutputStream binary;
    private PrintStream text; // made when first written: only text asks whether the output is a terminal

    /**
     * Output to {@code out}.
     *
     * @param lineFlushed whether to flush the text at every line end (on a terminal); asked once, when
     *     text is first written
     * @param charset the charset of the text
     */
    CommandOutput(OutputStream out, BooleanSupplier lineFlushed, Charset charset) {
        this.sink = new FailFast(Objects.requireNonNull(out, "out"));
        this.buffer = new BufferedOutputStream(sink, 64 * 1024);
        this.lineFlushed = Objects.requireNonNull(lineFlushed, "lineFlushed");
        this.charset = Objects.requireNonNull(charset, "charset");
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
    synchronized PrintStream text() {
        if (text == null) {
            text = new PrintStream(buffer, lineFlushed.getAsBoolean(), charset);
        }
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
    synchronized void flush() throws OutputException {
        if (text != null) {
            text.flush();
        } else {
            try {
                buffer.flush();
            } catch (IOException e) {
                // the sink keeps its first error, which check() throws
            }
        }
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
