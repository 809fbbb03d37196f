package io.rangestreams.tck;

import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.RangeTransportProvider;
import io.rangestreams.spi.TlsTrust;
import io.rangestreams.spi.TransportOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/**
 * The conformance rules T1 to T16 of {@link RangeTransport} (stated in its javadoc), for one transport
 * implementation, against a {@link RangeServer} on 127.0.0.1. Certify a transport with a three-line
 * subclass in your test sources:
 *
 * <pre>{@code
 * class MyTransportContractTest extends RangeTransportContract {
 *     @Override protected RangeTransport newTransport() { return new MyTransport(); }
 * }
 * }</pre>
 *
 * <p>Override {@link #configuredTransport(TransportOptions)} as well if the transport can be built
 * from {@link TransportOptions}: the rules on option headers, the redirect limit and read timeouts
 * (T5, T7, T10) then run too; without it they are reported as skipped, with that reason. Likewise a
 * rule behind a {@link RangeTransport.Capability capability} the transport does not declare is
 * reported as skipped with the reason. Test methods are final: a rule cannot be overridden away.
 *
 * <p>Rule T14 looks the transport's {@link RangeTransportProvider} up with {@link ServiceLoader}, as
 * {@code RangeClient} does: register it in {@code META-INF/services}. A transport must pass this
 * contract and {@link RangeStreamContract} (with a certified store) alike: some faults show in one
 * only.
 */
public abstract class RangeTransportContract {

    /** The server of the current test. */
    protected RangeServer server;

    /** What the rules opened in the current test; closed after it. */
    final List<RangeTransport> opened = new ArrayList<>();

    /** A new transport with its default settings; the contract closes it. */
    protected abstract RangeTransport newTransport();

    /**
     * A new transport configured with {@code options}, if the transport can be built from options; the
     * contract closes it. The default has none, and the rules that need options are skipped.
     */
    protected Optional<RangeTransport> configuredTransport(TransportOptions options) {
        return Optional.empty();
    }

    /**
     * Whether the rules run over https: the server then has a self-signed certificate, which
     * {@link #defaultOptions()} trust. The default is plain http; a subclass answering true certifies
     * the transport over TLS (and needs {@link #configuredTransport} to be given the trust).
     */
    protected boolean overHttps() {
        return false;
    }

    /**
     * The options most rules use: timeouts that end a hang within a minute yet never fail a healthy
     * request on a loaded machine, and over https trust in the server's certificate.
     */
    protected TransportOptions defaultOptions() {
        TransportOptions options = TransportOptions.defaults().withConnectTimeout(Duration.ofSeconds(30))
                .withReadTimeout(Duration.ofSeconds(60));
        return overHttps() ? options.withTrust(TlsTrust.of(server.clientTrustManager())) : options;
    }

    @BeforeEach
    final void startServer() throws IOException {
        server = overHttps() ? RangeServer.startHttps() : RangeServer.start();
        server.add(TransportFixture.PATH, TransportFixture.LENGTH);
    }

    @AfterEach
    final void stopServer() {
        for (RangeTransport t : opened) {
            t.close();
        }
        server.close();
    }

    /** T1 to T4: what is asked is what comes back. */
    @Nested
    @DisplayName("T1-T4 requests and responses")
    class RequestsAndResponses extends TransportRequestsAndResponsesRules {
        RequestsAndResponses() {
            super(RangeTransportContract.this);
        }
    }

    /** T5 and T6: headers sent, and bodies untouched. */
    @Nested
    @DisplayName("T5-T6 headers and encoding")
    class HeadersAndEncoding extends TransportHeadersAndEncodingRules {
        HeadersAndEncoding() {
            super(RangeTransportContract.this);
        }
    }

    /** T5 made afresh: headers from the options' {@link io.rangestreams.spi.RequestHeaders}. */
    @Nested
    @DisplayName("T5 request headers made per request")
    class HeadersPerRequest extends TransportHeadersPerRequestRules {
        HeadersPerRequest() {
            super(RangeTransportContract.this);
        }
    }

    /** T16: trust over https. */
    @Nested
    @DisplayName("T16 TLS trust")
    class TlsTrustRules extends TransportTlsTrustRules {
        TlsTrustRules() {
            super(RangeTransportContract.this);
        }
    }

    /** T7: redirects. */
    @Nested
    @DisplayName("T7 redirects")
    class RedirectRules extends TransportRedirectRules {
        RedirectRules() {
            super(RangeTransportContract.this);
        }
    }

    /** T8 to T10: streaming, concurrency and timeouts. */
    @Nested
    @DisplayName("T8-T10 streaming, concurrency, timeouts")
    class StreamingAndConcurrency extends TransportStreamingAndConcurrencyRules {
        StreamingAndConcurrency() {
            super(RangeTransportContract.this);
        }
    }

    /** T12: how the transport's client reads bodies. */
    @Nested
    @DisplayName("T12 body reading")
    class BodyReadings extends TransportBodyReadingsRules {
        BodyReadings() {
            super(RangeTransportContract.this);
        }
    }

    /** T13: bodies the engine can fill a chunk of in one wait. */
    @Nested
    @DisplayName("T13 filling bodies")
    class FillingBodies extends TransportFillingBodiesRules {
        FillingBodies() {
            super(RangeTransportContract.this);
        }
    }

    /** T14: the transport is found the way {@code RangeClient} finds it. */
    @Nested
    @DisplayName("T14 registration")
    class Registration extends TransportRegistrationRules {
        Registration() {
            super(RangeTransportContract.this);
        }
    }

    /** T15: the connection limit of the options. */
    @Nested
    @DisplayName("T15 connection limit")
    class ConnectionLimit extends TransportConnectionLimitRules {
        ConnectionLimit() {
            super(RangeTransportContract.this);
        }
    }

    /** T11: lifecycle. */
    @Nested
    @DisplayName("T11 lifecycle")
    class Lifecycle extends TransportLifecycleRules {
        Lifecycle() {
            super(RangeTransportContract.this);
        }
    }
}
