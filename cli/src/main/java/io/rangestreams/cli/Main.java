package io.rangestreams.cli;

import io.rangestreams.internal.Log;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The entry point of the {@code range-streams} command. {@link #execute(String...)} runs one command
 * line against the given standard output and error and returns the exit status: 0 on success, 1 when
 * the command failed (one line on standard error, naming what was wrong; {@code --verbose} adds the
 * stack trace; none when the reader closed the pipe), 2 for a usage error.
 *
 * <p>Not thread-safe: one instance runs one command line at a time.
 */
public final class Main {

    /** Exit status of a command that failed. */
    public static final int EXIT_FAILURE = 1;
    /** Exit status of a usage error (unknown option, missing or malformed argument). */
    public static final int EXIT_USAGE = 2;

    private final OutputStream out;
    private final BooleanSupplier lineFlushed;
    private final Charset charset;
    private final PrintStream err;
    private final Map<String, String> environment;

    /**
     * A command runner writing to the given streams.
     *
     * @param out standard output: listings, and the bytes of {@code get} and {@code cat}
     * @param charset the charset of text on standard output
     * @param err standard error: messages, progress, and the {@code --stats} line
     * @param environment the environment variables consulted ({@code RANGESTREAMS_TRANSPORT},
     *     {@code RANGESTREAMS_STORE})
     */
    public Main(OutputStream out, Charset charset, PrintStream err, Map<String, String> environment) {
        this(out, () -> false, charset, err, environment);
    }

    private Main(OutputStream out, BooleanSupplier lineFlushed, Charset charset, PrintStream err,
            Map<String, String> environment) {
        this.out = Objects.requireNonNull(out, "out");
        this.lineFlushed = Objects.requireNonNull(lineFlushed, "lineFlushed");
        this.charset = Objects.requireNonNull(charset, "charset");
        this.err = Objects.requireNonNull(err, "err");
        this.environment = Map.copyOf(environment);
    }

    /**
     * Runs the command line given and ends the JVM with its status. Standard output is written
     * through a 64 KiB buffer, flushed at every line end on a terminal only: {@code System.out} wrote
     * each piece of a {@code printf} with its own system call.
     *
     * <p>The JVM is halted, not exited: by then every stream, store and client is closed and the output
     * flushed, and {@link System#exit} would start the JDK's logging backend only to log the exit, which
     * reads the whole class path for a logger service. A Ctrl-C still runs the shutdown hooks.
     */
    public static void main(String[] args) {
        quietLogging();
        OutOfMemoryReport.install(System.err);
        int status = new Main(new FileOutputStream(FileDescriptor.out), () -> System.console() != null,
                standardOutputCharset(), System.err, System.getenv()).execute(args);
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }

    /**
     * Sets, unless already set, the system properties that keep a run from looking a logging service up
     * on the class path (a lookup reads the index of every jar on it): the library's debug messages are
     * dropped before any {@link System.Logger} is asked, and SLF4J, which Apache HttpClient logs through,
     * is told its provider. Warnings are still logged.
     */
    static void quietLogging() {
        setIfAbsent(Log.DEBUG_PROPERTY, "false");
        setIfAbsent("slf4j.provider", "org.slf4j.nop.NOPServiceProvider");
        setIfAbsent("slf4j.internal.verbosity", "WARN");
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
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
        CommandOutput output = new CommandOutput(out, lineFlushed, charset);
        ParsedCommandLine line;
        try {
            line = RangeStreamsCommand.parser().parse(args);
        } catch (UsageException e) {
            return usageError(e);
        }
        RangeStreamsCommand root = new RangeStreamsCommand(output, err, environment, line);
        int status;
        try {
            status = run(root, line);
            output.flush();
        } catch (UsageException e) {
            status = usageError(e);
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            status = failure(root, output, e);
        }
        root.finish();
        err.flush();
        return status;
    }

    private static int run(RangeStreamsCommand root, ParsedCommandLine line) throws Exception {
        if (line.has(RangeStreamsCommand.VERSION_OPTION.key())) {
            root.out().println(RangeStreamsCommand.VERSION);
            return 0;
        }
        if (line.has(RangeStreamsCommand.HELP.key())) {
            HelpCommand.show(root.out(), line.verb());
            return 0;
        }
        CommandLineParser.requireArity(line);
        root.validateGlobals();
        Verb verb = line.verb().orElseThrow();
        return verb.command().get().run(root, line);
    }

    private int usageError(UsageException e) {
        String help = RangeStreamsCommand.NAME + " help" + e.verb().map(v -> " " + v).orElse("");
        err.println(RangeStreamsCommand.NAME + ": " + e.getMessage() + " (see '" + help + "')");
        err.flush();
        return EXIT_USAGE;
    }

    private int failure(RangeStreamsCommand root, CommandOutput output, Throwable e) {
        if (OutOfMemoryReport.installed() && OutOfMemoryReport.isOutOfMemory(e)) {
            OutOfMemoryReport.reportAndHalt();
        }
        Optional<OutputException> broken = ErrorReport.find(e, OutputException.class);
        if (broken.isEmpty()) {
            try {
                output.flush(); // what was written before the failure, e.g. the members listed
            } catch (OutputException o) {
                broken = Optional.of(o);
            }
        }
        if (broken.isPresent() && broken.get().isClosedPipe() && !root.verbose()) {
            return EXIT_FAILURE; // the reader has gone, as with `| head`: nothing to say
        }
        String message = broken.<String>map(Throwable::getMessage)
                .orElseGet(() -> ErrorReport.describe(e, root.currentResource()));
        err.println(RangeStreamsCommand.NAME + ": " + message);
        if (root.verbose()) {
            e.printStackTrace(err);
        }
        return EXIT_FAILURE;
    }
}
