package io.rangestreams.tck;

import io.rangestreams.Range;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.TransportOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * What the rules of {@link RangeTransportContract} share: the contract's hooks and server, the transports
 * the rules use (closed by the contract) and the bytes they expect.
 */
abstract class TransportFixture {

    static final int LENGTH = 100_000;
    static final String PATH = "/tck/data.bin";

    final RangeTransportContract contract;

    TransportFixture(RangeTransportContract contract) {
        this.contract = contract;
    }

    RangeServer server() {
        return contract.server;
    }

    RangeTransport newTransport() {
        return contract.newTransport();
    }

    Optional<RangeTransport> configuredTransport(TransportOptions options) {
        return contract.configuredTransport(options);
    }

    boolean overHttps() {
        return contract.overHttps();
    }

    TransportOptions defaultOptions() {
        return contract.defaultOptions();
    }

    /** The transport most rules use: configured with short timeouts when it can be, else its defaults. */
    RangeTransport transport() {
        Optional<RangeTransport> configured = configuredTransport(defaultOptions());
        Assumptions.assumeTrue(configured.isPresent() || !overHttps(), "over https the transport must be built from"
                + " TransportOptions, to be given trust in the server's certificate (override configuredTransport)");
        RangeTransport t = configured.orElseGet(this::newTransport);
        contract.opened.add(t);
        return t;
    }

    /** A transport with these options, or the rule is skipped: the backend cannot be configured. */
    RangeTransport transport(TransportOptions options) {
        Optional<RangeTransport> t = configuredTransport(options);
        Assumptions.assumeTrue(t.isPresent(), "the transport is not built from TransportOptions"
                + " (override configuredTransport to certify option handling)");
        contract.opened.add(t.get());
        return t.get();
    }

    URI uri() {
        return uri(PATH);
    }

    /** The URI of {@code path} over the scheme the rules run over. */
    URI uri(String path) {
        return overHttps() ? server().httpsUri(path) : server().uri(path);
    }

    /** The port of {@link #uri(String)}'s origin. */
    int mainPort() {
        return overHttps() ? server().httpsPort() : server().port();
    }

    static byte[] body(RangeResponse response) throws IOException {
        try (response; InputStream in = response.body()) {
            return in.readAllBytes();
        }
    }

    byte[] expected(Range r) {
        return server().expected(PATH, r);
    }
}
