package io.rangestreams.tck.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.Range;
import io.rangestreams.RangeStreamException;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.TlsTrust;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code Proxy-Authorization} from the options, through a real proxy (Jetty) that asks for it: sent to the
 * proxy, never to the origin.
 */
class ProxyAuthorizationTest {

    private static final String CREDENTIALS = "Basic dGVzdDpzZWNyZXQ=";
    private static final String PATH = "/proxied.bin";

    private RangeServer origin;
    private JettyProxy proxy;

    @BeforeEach
    void start() throws Exception {
        origin = RangeServer.startHttps();
        origin.add(PATH, 50_000);
        proxy = JettyProxy.start(CREDENTIALS);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        origin.close();
    }

    private TransportOptions options() throws IOException {
        return TransportKind.options().withProxy(proxy.address()).withTrust(TlsTrust.of(RangeServer.testTrustManager()));
    }

    private static byte[] body(RangeResponse response) throws IOException {
        try (response; InputStream in = response.body()) {
            return in.readAllBytes();
        }
    }

    @Nested
    class PlainHttp {

        @ParameterizedTest
        @EnumSource(TransportKind.class)
        void sendsProxyAuthorizationToTheProxyOnly(TransportKind kind) throws IOException {
            URI uri = origin.uri(PATH);
            try (RangeTransport t = kind.create(options().withProxyAuthorization(CREDENTIALS))) {
                RangeResponse response = t.send(RangeRequest.get(uri, Range.of(100, 200)));
                assertThat(response.status()).as("%s: status of %s through a proxy asking for credentials", kind, uri)
                        .isEqualTo(206);
                assertThat(body(response)).as("%s: body of %s through the proxy", kind, uri)
                        .isEqualTo(origin.expected(PATH, Range.of(100, 200)));
            }
            assertThat(proxy.seen()).as("%s: what the proxy saw", kind)
                    .containsExactly(new JettyProxy.Seen("GET", CREDENTIALS));
            assertThat(origin.requests(PATH)).as("%s: requests reaching the origin", kind).singleElement()
                    .satisfies(r -> assertThat(r.header("Proxy-Authorization"))
                            .as("%s: Proxy-Authorization at the origin", kind).isEmpty());
        }

        @ParameterizedTest
        @EnumSource(TransportKind.class)
        void withoutCredentialsTheProxysAnswerIsReturned(TransportKind kind) throws IOException {
            try (RangeTransport t = kind.create(options())) {
                RangeResponse response = t.send(RangeRequest.get(origin.uri(PATH), Range.of(0, 10)));
                assertThat(response.status()).as("%s: status through a proxy asking for credentials, none given", kind)
                        .isEqualTo(407);
                body(response);
            }
            assertThat(origin.requests(PATH)).as("%s: requests reaching the origin without credentials", kind).isEmpty();
        }
    }

    @Nested
    class HttpsTunnel {

        @ParameterizedTest
        @EnumSource(value = TransportKind.class, names = {"JDK", "OKHTTP"})
        void sendsProxyAuthorizationOnTheConnectOnly(TransportKind kind) throws Exception {
            // The JDK client never sends Basic credentials on a CONNECT unless the JVM's
            // jdk.http.auth.tunneling.disabledSchemes allows it; any other scheme it sends.
            String credentials = "Bearer proxy-token";
            try (JettyProxy bearerProxy = JettyProxy.start(credentials)) {
                URI uri = origin.httpsUri(PATH);
                TransportOptions options = options().withProxy(bearerProxy.address()).withProxyAuthorization(credentials);
                try (RangeTransport t = kind.create(options)) {
                    assertThat(body(t.send(RangeRequest.get(uri, Range.of(100, 200)))))
                            .as("%s: body of %s through a tunnel", kind, uri)
                            .isEqualTo(origin.expected(PATH, Range.of(100, 200)));
                }
                assertThat(bearerProxy.seen()).as("%s: what the proxy saw", kind)
                        .contains(new JettyProxy.Seen("CONNECT", credentials));
            }
            assertThat(origin.requests(PATH)).as("%s: requests reaching the origin", kind).singleElement()
                    .satisfies(r -> assertThat(r.header("Proxy-Authorization"))
                            .as("%s: Proxy-Authorization at the origin", kind).isEmpty());
        }

        @ParameterizedTest
        @EnumSource(value = TransportKind.class, names = {"OKHTTP"})
        void sendsBasicProxyAuthorizationOnTheConnect(TransportKind kind) throws IOException {
            URI uri = origin.httpsUri(PATH);
            try (RangeTransport t = kind.create(options().withProxyAuthorization(CREDENTIALS))) {
                assertThat(body(t.send(RangeRequest.get(uri, Range.of(100, 200)))))
                        .as("%s: body of %s through a tunnel, Basic credentials", kind, uri)
                        .isEqualTo(origin.expected(PATH, Range.of(100, 200)));
            }
            assertThat(proxy.seen()).as("%s: what the proxy saw", kind).contains(new JettyProxy.Seen("CONNECT", CREDENTIALS));
        }

        @ParameterizedTest
        @EnumSource(value = TransportKind.class, names = {"JDK"})
        void saysWhyBasicProxyAuthorizationIsWithheldFromTheTunnel(TransportKind kind) throws IOException {
            URI uri = origin.httpsUri(PATH);
            try (RangeTransport t = kind.create(options().withProxyAuthorization(CREDENTIALS))) {
                assertThatThrownBy(() -> body(t.send(RangeRequest.get(uri, Range.of(100, 200)))))
                        .as("%s: %s through a tunnel with Basic credentials", kind, uri)
                        .isInstanceOf(RangeStreamException.class)
                        .hasMessageContaining("jdk.http.auth.tunneling.disabledSchemes");
            }
        }
    }
}
