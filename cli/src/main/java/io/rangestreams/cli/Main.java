package io.rangestreams.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;

/**
 * The entry point of the {@code range-streams} command. {@link #execute(String...)} runs one command
 * line against the given standard output and error and returns the exit status: 0 on success, 1 when
 * the command failed (one line on standard error, naming what was wrong; {@code --verbose} adds the
 * stack trace), 2 for a usage error.
 *
 * <p>Not thread-safe: one instance runs one command line at a time.
 */
public final class Main {

    /** Exit status of a command that failed. */
    public static final int EXIT_FAILURE = 1;
    /** Exit status of a usage error (unknown option, missing or malformed argument). */
    public static final int EXIT_USAGE = 2;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;

    /**
     * A command runner writing to the given streams.
     *
     * @param out standard output: listings, and the bytes of {@code get} and {@code cat}
     * @param err standard error: messages, progress, and the {@code --stats} line
     * @param environment the environment variables consulted ({@code RANGESTREAMS_TRANSPORT},
     *     {@code RANGESTREAMS_STORE})
     */
    public Main(PrintStream out, PrintStream err, Map<String, String> environment) {
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.environment = Map.copyOf(environment);
    }

    /** Runs the command line given and exits the JVM with its status. */
    public static void main(String[] args) {
        PrintStream out = standardOutput();
        int status = new Main(out, System.err, System.getenv()).execute(args);
        out.flush();
        System.exit(status);
    }

    /**
     * Standard output in a 64 KiB buffer, in the charset {@code System.out} uses. On a terminal it is
     * flushed at the end of every line, as {@code System.out} is; into a pipe or a file only when full
     * and at the end. {@code System.out} wrote each piece of a {@code printf} with its own system call:
     * listing a 20,000-member zip made 600,000 writes and took 3.5 s, of which 0.9 s was {@code ls}'s
     * own work.
     */
    static PrintStream standardOutput() {
        return new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024),
                System.console() != null, standardOutputCharset());
    }

    /** {@code stdout.encoding} (JDK 19 and later), else {@code sun.stdout.encoding}, else the default charset. */
    private static Charset standardOutputCharset() {
        for (String property : new String[] {"stdout.encoding", "sun.stdout.encoding"}) {
            String name = System.getProperty(property);
            if (name != null) {
                try {
                    return Charset.forName(name);
                } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                    // as System.out does with an unknown name: the default below
                }
            }
        }
        return Charset.defaultCharset();
    }

    /** Runs one command line; returns its exit status. */
    public int execute(String... args) {
        RangeStreamsCommand root = new RangeStreamsCommand(out, err, environment);
        CommandLine cl = new CommandLine(root);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            err.println("range-streams: " + ErrorReport.describe(e, root.currentResource()));
            if (root.verbose()) {
                e.printStackTrace(err);
            }
            return EXIT_FAILURE;
        });
        cl.setParameterExceptionHandler((e, parsed) -> {
            String verb = e.getCommandLine() == cl ? "" : " " + e.getCommandLine().getCommandName();
            err.println("range-streams: " + e.getMessage() + " (see 'range-streams" + verb + " --help')");
            if (root.verbose()) {
                e.getCommandLine().usage(err);
            }
            return EXIT_USAGE;
        });
        cl.setExecutionStrategy(parsed -> {
            VerboseLogging logging = VerboseLogging.enable(root.verbose(), err);
            try {
                return new CommandLine.RunLast().execute(parsed);
            } finally {
                logging.close();
            }
        });
        int status = cl.execute(args);
        out.flush();
        root.finish();
        err.flush();
        return status;
    }
}
