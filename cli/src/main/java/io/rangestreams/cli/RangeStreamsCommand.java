package io.rangestreams.cli;

import io.rangestreams.internal.ProviderSelection;
import io.rangestreams.spi.StoreOptions;
import io.rangestreams.spi.TlsTrust;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code range-streams} command: the global options, the verbs, and the state one command line
 * shares (its output, its {@link CliSession}). Global options may be given before or after the verb.
 */
final class RangeStreamsCommand {

    /** The command's name, as the usage shows it. */
    static final String NAME = "range-streams";
    /** The version {@code --version} prints. */
    static final String VERSION = "range-streams 0.1.0";
    /** The first paragraph of the help. */
    static final String DESCRIPTION = "Random access to remote files over HTTP range requests: only the bytes you"
            + " touch cross the network.";

    /**
     * The transport used when none is named anywhere: Apache HttpClient, the fastest of the three from a
     * cold JVM, which is what a command line always runs in.
     */
    static final String DEFAULT_TRANSPORT = "apache";
    /** The most the default memory store holds, whatever the heap. */
    static final long DEFAULT_STORE_MAX = 256L * 1024 * 1024;

    static final CliOption TRANSPORT = CliOption.valued("NAME", "HTTP client: jdk, okhttp or apache (default: "
            + DEFAULT_TRANSPORT + ").", "--transport");
    static final CliOption STORE = CliOption.valued("SPEC", "Where fetched bytes are kept: name[:location][?key=value],"
            + " e.g. memory?maxBytes=64m or mapdb:~/.cache/range-streams/cache.db (default: memory, a quarter of the"
            + " heap up to 256m).", "--store");
    static final CliOption CACERT = CliOption.valued("FILE", "Trust the CA certificates in this PEM file for https,"
            + " instead of the JVM's (as curl's --cacert).", "--cacert");
    static final CliOption STATS = CliOption.flag("Print 'stats: requests=N bytes_fetched=N bytes_from_store=N'"
            + " as the last line on standard error (totals over every URL).", "--stats");
    static final CliOption VERBOSE = CliOption.flag("Show each request sent (range, why, status, bytes, time),"
            + " retries and revalidations, and the stack traces of errors.", "-v", "--verbose");
    static final CliOption HELP = CliOption.flag("Show this help, or a verb's with the verb.", "-h", "--help");
    static final CliOption VERSION_OPTION = CliOption.flag("Print the version.", "-V", "--version");
    static final List<CliOption> GLOBALS = List.of(TRANSPORT, STORE, CACERT, STATS, VERBOSE, HELP, VERSION_OPTION);

    /** The verbs, in the order the help lists them. */
    static final List<Verb> VERBS = List.of(InfoCommand.VERB, GetCommand.VERB, LsCommand.VERB, CatCommand.VERB,
            CpCommand.VERB, ServeVerb.VERB, DemoCommand.VERB, HelpCommand.VERB);

    static final List<String> FOOTER = List.of(
            "Transport: --transport, else -D" + ProviderSelection.TRANSPORT_PROPERTY + ", else "
                    + ProviderSelection.TRANSPORT_ENV + ", else " + DEFAULT_TRANSPORT + ".",
            "Store: --store, else -D" + ProviderSelection.STORE_PROPERTY + ", else " + ProviderSelection.STORE_ENV
                    + ", else memory (a quarter of the heap, at most 256m).",
            "Exit status: 0 success, 1 failure (one line on standard error; with several URLs, 1 if any"
                    + " failed), 2 usage error.");

    private final CommandOutput output;
    private final PrintStream err;
    private final Map<String, String> environment;
    private final ParsedCommandLine line;
    private CliSession session;
    private Optional<TlsTrust> trust = Optional.empty();

    RangeStreamsCommand(CommandOutput output, PrintStream err, Map<String, String> environment,
            ParsedCommandLine line) {
        this.output = output;
        this.err = err;
        this.environment = environment;
        this.line = line;
    }

    /** The parser of this command's line. */
    static CommandLineParser parser() {
        return new CommandLineParser(GLOBALS, VERBS);
    }

    /** Text output: listings. */
    PrintStream out() {
        return output.text();
    }

    /** The output, for bytes and for checking that text reached the reader. */
    CommandOutput output() {
        return output;
    }

    PrintStream err() {
        return err;
    }

    boolean verbose() {
        return line.has(VERBOSE.key());
    }

    boolean stats() {
        return line.has(STATS.key());
    }

    /**
     * Checks the global options that need no request: the transport is one on the class path, the store
     * spec parses and names a store on the class path, the trust file holds certificates.
     *
     * @throws UsageException naming the option and what is wrong with it
     */
    void validateGlobals() {
        Optional<String> where = line.verb().map(Verb::name);
        ClassLoader loader = RangeStreamsCommand.class.getClassLoader();
        line.value(TRANSPORT.key()).filter(name -> BuiltInProviders.transport(name).isEmpty()).ifPresent(name -> {
            var found = ProviderSelection.transports(loader).keySet();
            if (!found.contains(name)) {
                throw new UsageException("unknown transport '" + name + "'; available: " + String.join(", ", found),
                        where);
            }
        });
        line.value(STORE.key()).ifPresent(spec -> {
            String name;
            try {
                name = StoreOptions.parse(spec).name();
            } catch (IllegalArgumentException e) {
                throw new UsageException("--store: " + e.getMessage(), where);
            }
            if (BuiltInProviders.store(name).isPresent()) {
                return;
            }
            var found = ProviderSelection.stores(loader).keySet();
            if (!found.contains(name)) {
                throw new UsageException("--store: unknown store '" + name + "' in store spec '" + spec
                        + "'; available: " + String.join(", ", found), where);
            }
        });
        Optional<String> cacert = line.value(CACERT.key());
        if (cacert.isPresent()) {
            Path file = Path.of(cacert.get());
            if (!Files.isReadable(file) || Files.isDirectory(file)) {
                throw new UsageException("--cacert: cannot read '" + file + "'", where);
            }
            try {
                trust = Optional.of(TlsTrust.fromPem(file));
            } catch (IOException e) {
                throw new UsageException("--cacert: " + e.getMessage(), where);
            }
        }
    }

    /** The session of this command line, created on first use with the global options. */
    CliSession session() {
        if (session == null) {
            Optional<String> transport = transportName();
            // Apache's TLS strategy takes its context without using it: the default one is then made on
            // the first https connection only (the other transports make theirs when they are built).
            Optional<TlsTrust> tls = trust.isEmpty() && transport.equals(Optional.of("apache"))
                    ? Optional.of(TlsTrust.of(new DeferredTlsContext())) : trust;
            session = new CliSession(transport, storeSpec(), tls,
                    environment, verbose() ? Optional.of(err) : Optional.empty());
        }
        return session;
    }

    /** The resource the command was working on, for error messages. */
    Optional<URI> currentResource() {
        return session == null ? Optional.empty() : session.currentResource();
    }

    /** Closes the session and prints the {@code --stats} line, last on standard error. */
    void finish() {
        CliSession s = session;
        session = null;
        String stats = "stats: " + (s == null ? CliSession.NO_STATS : s.stats());
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                err.println(NAME + ": closing: " + ErrorReport.describe(e, Optional.empty()));
            }
        }
        if (stats()) {
            err.println(stats);
        }
    }

    /** The default store spec: memory, a quarter of the heap, at most {@link #DEFAULT_STORE_MAX}. */
    static String defaultStoreSpec() {
        long quarter = Runtime.getRuntime().maxMemory() / 4;
        long bytes = Math.max(4L * 1024 * 1024, Math.min(DEFAULT_STORE_MAX, quarter));
        return "memory?maxBytes=" + bytes;
    }

    /** The transport named by --transport, else by property or environment (left to the library), else apache. */
    private Optional<String> transportName() {
        Optional<String> named = line.value(TRANSPORT.key());
        if (named.isPresent()) {
            return named;
        }
        boolean configured = nonBlank(System.getProperty(ProviderSelection.TRANSPORT_PROPERTY))
                || nonBlank(environment.get(ProviderSelection.TRANSPORT_ENV));
        return configured ? Optional.empty() : Optional.of(DEFAULT_TRANSPORT);
    }

    private Optional<String> storeSpec() {
        Optional<String> named = line.value(STORE.key());
        if (named.isPresent()) {
            return named;
        }
        boolean configured = nonBlank(System.getProperty(ProviderSelection.STORE_PROPERTY))
                || nonBlank(environment.get(ProviderSelection.STORE_ENV));
        return configured ? Optional.empty() : Optional.of(defaultStoreSpec());
    }

    private static boolean nonBlank(String s) {
        return s != null && !s.isBlank();
    }
}
