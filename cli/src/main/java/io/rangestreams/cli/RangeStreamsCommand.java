package io.rangestreams.cli;

import io.rangestreams.internal.ProviderSelection;
import java.io.PrintStream;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code range-streams} command: global options and the verbs. The options are inherited, so they
 * may be given before or after the verb.
 */
@Command(
        name = "range-streams",
        mixinStandardHelpOptions = true,
        version = "range-streams 0.1.0",
        sortOptions = false,
        description = "Random access to remote files over HTTP range requests: only the bytes you touch cross"
                + " the network.",
        subcommands = {
            InfoCommand.class,
            GetCommand.class,
            LsCommand.class,
            CatCommand.class,
            CpCommand.class,
            ServeCommand.class,
            DemoCommand.class
        },
        footer = {
            "",
            "Transport: --transport, else -D" + ProviderSelection.TRANSPORT_PROPERTY + ", else "
                    + ProviderSelection.TRANSPORT_ENV + ", else " + RangeStreamsCommand.DEFAULT_TRANSPORT + ".",
            "Store: --store, else -D" + ProviderSelection.STORE_PROPERTY + ", else " + ProviderSelection.STORE_ENV
                    + ", else memory (at most 256 MiB).",
            "Exit status: 0 success, 1 failure (one line on standard error), 2 usage error."
        })
final class RangeStreamsCommand implements Runnable {

    /**
     * The transport used when none is named anywhere: Apache HttpClient, the fastest of the three from a
     * cold JVM (1 GiB from nginx on loopback: apache 1.3 s, okhttp 2.1 s, jdk 5.1 s, JVM start included),
     * which is what a command line always runs in.
     */
    static final String DEFAULT_TRANSPORT = "apache";
    /** The store used when none is named anywhere: memory, bounded so that cp of a big file stays small. */
    static final String DEFAULT_STORE = "memory?maxBytes=256m";

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;
    private CliSession session;

    @Option(names = "--transport", paramLabel = "NAME", scope = ScopeType.INHERIT,
            description = "HTTP client: jdk, okhttp or apache (default: " + DEFAULT_TRANSPORT + ").")
    private String transport;

    @Option(names = "--store", paramLabel = "SPEC", scope = ScopeType.INHERIT,
            description = "Where fetched bytes are kept: name[:location][?key=value], e.g. memory?maxBytes=64m or"
                    + " mapdb:~/.cache/range-streams/cache.db (default: memory, at most 256 MiB).")
    private String store;

    @Option(names = "--stats", scope = ScopeType.INHERIT,
            description = "Print 'stats: requests=N bytes_fetched=N bytes_from_store=N' as the last line on"
                    + " standard error.")
    private boolean stats;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Show stack traces of errors and the library's debug log.")
    private boolean verbose;

    RangeStreamsCommand(PrintStream out, PrintStream err, Map<String, String> environment) {
        this.out = out;
        this.err = err;
        this.environment = environment;
    }

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "no command given");
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    boolean verbose() {
        return verbose;
    }

    /** The session of this command line, created on first use with the global options. */
    CliSession session() {
        if (session == null) {
            session = new CliSession(transportName(), storeSpec(), environment,
                    verbose ? Optional.of(err) : Optional.empty());
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
        String line = "stats: " + (s == null ? CliSession.NO_STATS : s.stats());
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                err.println("range-streams: closing: " + ErrorReport.describe(e, Optional.empty()));
            }
        }
        if (stats) {
            err.println(line);
        }
    }

    /** The transport named by --transport, else by property or environment (left to the library), else apache. */
    private Optional<String> transportName() {
        if (transport != null) {
            return Optional.of(transport);
        }
        boolean configured = nonBlank(System.getProperty(ProviderSelection.TRANSPORT_PROPERTY))
                || nonBlank(environment.get(ProviderSelection.TRANSPORT_ENV));
        return configured ? Optional.empty() : Optional.of(DEFAULT_TRANSPORT);
    }

    private Optional<String> storeSpec() {
        if (store != null) {
            return Optional.of(store);
        }
        boolean configured = nonBlank(System.getProperty(ProviderSelection.STORE_PROPERTY))
                || nonBlank(environment.get(ProviderSelection.STORE_ENV));
        return configured ? Optional.empty() : Optional.of(DEFAULT_STORE);
    }

    private static boolean nonBlank(String s) {
        return s != null && !s.isBlank();
    }
}
