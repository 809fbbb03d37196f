package io.rangestreams.cli;

import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.internal.ClientParts;
import io.rangestreams.spi.RangeStreamProvider;
import io.rangestreams.spi.StoreOptions;
import io.rangestreams.spi.TlsTrust;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The client of one command line, built on first use from the global options, the streams it opened
 * (closed with it), and the client's events, whose totals make the {@code --stats} line. Thread-safe:
 * the URLs of one command line may be worked on at once.
 */
final class CliSession implements AutoCloseable {

    /** The stats of a command that opened no stream. */
    static final RangeStream.Stats NO_STATS = new RangeStream.Stats(0, 0, 0);

    private final Optional<String> transport;
    private final Optional<String> store;
    private final Optional<TlsTrust> trust;
    private final Map<String, String> environment;
    private final Optional<PrintStream> verbose;
    private final List<Consumer<RangeClient.Builder>> tuning = new ArrayList<>();
    private final List<RangeStream> streams = new ArrayList<>();
    private final CommandEvents events;
    private RangeClient client;
    private URI current;

    /**
     * A session.
     *
     * @param transport the transport to name, or empty to leave the choice to the library
     * @param store the store spec to use, or empty to leave the choice to the library
     * @param trust the certificates to trust for https instead of the JVM's, if given
     * @param environment the environment variables the library consults
     * @param verbose where to say which transport and store were chosen, and each request, with
     *     {@code --verbose}
     */
    CliSession(Optional<String> transport, Optional<String> store, Optional<TlsTrust> trust,
            Map<String, String> environment, Optional<PrintStream> verbose) {
        this.transport = transport;
        this.store = store;
        this.trust = trust;
        this.environment = environment;
        this.verbose = verbose;
        this.events = new CommandEvents(verbose);
    }

    /** Adds client settings; only before the first stream is opened. */
    synchronized CliSession tune(Consumer<RangeClient.Builder> settings) {
        if (client != null) {
            throw new IllegalStateException("the client is already built");
        }
        tuning.add(settings);
        return this;
    }

    /** The client, built now if need be (this is where an unknown transport or a bad store spec fails). */
    synchronized RangeClient client() {
        if (client == null) {
            RangeClient.Builder b = RangeClient.builder().environment(environment);
            transport.ifPresent(name -> BuiltInProviders.transport(name).ifPresentOrElse(b::transport,
                    () -> b.transport(name)));
            trust.ifPresent(b::trust);
            store.ifPresent(spec -> {
                StoreOptions options = StoreOptions.parse(spec);
                BuiltInProviders.store(options.name()).ifPresentOrElse(
                        p -> b.store(ClientParts.openStore(p, options)), () -> b.store(spec));
            });
            b.eventListener(events);
            tuning.forEach(t -> t.accept(b));
            client = b.build();
            RangeClient c = client;
            verbose.ifPresent(err -> err.println("debug: transport " + c.transport().name() + ", store "
                    + c.store().name()));
        }
        return client;
    }

    /** Opens a plain stream, closed with the session. */
    synchronized RangeStream open(URI uri) {
        RangeClient c = client();
        current = uri;
        RangeStream s = c.open(uri);
        streams.add(s);
        return s;
    }

    /**
     * Opens a format stream over a plain one. Only the plain stream is counted: it carries every request
     * the format stream makes, also when opening the format fails half-way.
     */
    <S extends RangeStream> S open(URI uri, RangeStreamProvider<S> format) throws IOException {
        return format.open(open(uri));
    }

    /** The resource opened last, for error messages. */
    synchronized Optional<URI> currentResource() {
        return Optional.ofNullable(current);
    }

    /** The totals of every request of the command, from the client's events. */
    RangeStream.Stats stats() {
        return events.stats();
    }

    @Override
    public synchronized void close() {
        streams.forEach(RangeStream::close);
        if (client != null) {
            client.close();
        }
    }
}
