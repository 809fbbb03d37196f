package io.rangestreams.tck.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.tck.Fault;
import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Each bundled transport over the caller's own client, and through a proxy. */
@ParameterizedClass(name = "{0}")
@EnumSource(TransportKind.class)
class TransportCallersClientTest extends TransportBehaviourFixture {

    TransportCallersClientTest(TransportKind kind) {
        super(kind);
    }

    @Nested
    class CallersClientAndOptions {

        @Test
        void keepsTheCallersClientSettings() throws IOException {
            server.close();
            server = RangeServer.startHttps();
            server.add(PATH, LENGTH);
            URI secure = server.httpsUri(PATH);
            Range range = Range.of(123, 40_000);
            try (RangeTransport t = kind.overCallersClient(server, TransportKind.options())) {
                RangeResponse response = t.send(RangeRequest.get(secure, range));
                assertThat(response.uri()).as("%s (caller's client) URI", kind).isEqualTo(secure);
                assertThat(body(response)).as("%s (caller's client, its TLS settings) body over https", kind)
                        .isEqualTo(expected(range));
            }
            Optional<String> marker = kind.callerHeader();
            if (marker.isPresent()) {
                assertThat(server.requests(PATH).get(0).header(TransportKind.CALLER_HEADER))
                        .as("%s header added by the caller's client", kind).isEqualTo(marker);
            }
        }

        @Test
        void stripsCredentialsCrossOriginEvenWhenTheCallersClientWouldFollowRedirects() throws IOException {
            server.close();
            server = RangeServer.startHttps();
            uri = server.add(PATH, LENGTH);
            server.fault(PATH, new Fault.Redirect(Fault.Redirect.Kind.CROSS_ORIGIN, 301));
            TransportOptions options = TransportKind.options().withHeader("Authorization", "Bearer secret");
            try (RangeTransport t = kind.overCallersClient(server, options)) {
                assertThat(body(t.send(RangeRequest.get(uri, Range.of(0, 100)))))
                        .as("%s (caller's client) body after a cross-origin redirect", kind)
                        .isEqualTo(expected(Range.of(0, 100)));
            }
            assertThat(server.requests(PATH)).as("%s (caller's client) requests", kind).hasSize(2);
            assertThat(server.requests(PATH).get(1).header("Authorization"))
                    .as("%s (caller's client) Authorization to another origin", kind).isEmpty();
        }

        @Test
        void sendsThroughTheConfiguredProxy() throws IOException {
            // The target's own port refuses connections: the bytes can only come through the proxy.
            URI target = URI.create("http://127.0.0.1:" + closedPortUri().getPort() + PATH);
            TransportOptions options = TransportKind.options()
                    .withProxy(new InetSocketAddress("127.0.0.1", server.port()));
            Range range = Range.of(0, 8192);
            try (RangeTransport t = kind.create(options)) {
                assertThat(t.capabilities()).as("%s capabilities", kind).contains(RangeTransport.Capability.PROXY);
                assertThat(body(t.send(RangeRequest.get(target, range)))).as("%s body through the proxy", kind)
                        .isEqualTo(expected(range));
            }
            assertThat(server.requests(PATH).get(0).header("Host")).as("%s Host header through the proxy", kind)
                    .contains(target.getAuthority());
        }
    }
}
