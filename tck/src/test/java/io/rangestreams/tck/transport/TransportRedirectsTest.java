package io.rangestreams.tck.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.Range;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.tck.Fault;
import io.rangestreams.tck.RangeServer;
import io.rangestreams.tck.RangeServer.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How each bundled transport follows redirects, and which it refuses. */
@ParameterizedClass(name = "{0}")
@EnumSource(TransportKind.class)
class TransportRedirectsTest extends TransportBehaviourFixture {

    TransportRedirectsTest(TransportKind kind) {
        super(kind);
    }

    @Nested
    class Redirects {

        @ParameterizedTest(name = "status {0}")
        @ValueSource(ints = {301, 302, 303, 307, 308})
        void followsARedirectWithinTheOriginAndReportsTheFinalUri(int status) throws IOException {
            server.fault(PATH, new Fault.Redirect(Fault.Redirect.Kind.SAME_ORIGIN, status));
            Range range = Range.of(100, 4196);
            try (RangeTransport t = transport()) {
                RangeResponse response = t.send(RangeRequest.get(uri, range));
                assertThat(response.uri()).as("%s final URI after %d", kind, status)
                        .isEqualTo(server.uri("/redirected" + PATH));
                assertThat(body(response)).as("%s body after %d", kind, status).isEqualTo(expected(range));
            }
            assertThat(server.requests("/redirected" + PATH)).as("%s redirected requests after %d", kind, status)
                    .singleElement()
                    .satisfies(r -> assertThat(r.range()).as("%s range kept after %d", kind, status)
                            .contains("bytes=100-4195"));
        }

        @Test
        void dropsAuthorizationAndCookiesOnARedirectToAnotherOrigin() throws IOException {
            server.fault(PATH, new Fault.Redirect(Fault.Redirect.Kind.CROSS_ORIGIN, 302));
            Range range = Range.of(0, 4096);
            TransportOptions options = TransportKind.options().withHeader("Authorization", "Bearer secret");
            try (RangeTransport t = kind.create(options)) {
                RangeResponse response = t.send(RangeRequest.get(uri, range).withHeader("Cookie", "session=s3"));
                assertThat(response.uri()).as("%s final URI", kind).isEqualTo(server.otherOriginUri(PATH));
                assertThat(body(response)).as("%s body from the other origin", kind).isEqualTo(expected(range));
            }
            List<RecordedRequest> requests = server.requests(PATH);
            assertThat(requests).as("%s requests", kind).hasSize(2);
            RecordedRequest first = requests.get(0);
            RecordedRequest second = requests.get(1);
            assertThat(first.port()).as("%s first request's port", kind).isEqualTo(server.port());
            assertThat(first.header("Authorization")).as("%s Authorization to the first origin", kind)
                    .contains("Bearer secret");
            assertThat(first.header("Cookie")).as("%s Cookie to the first origin", kind).contains("session=s3");
            assertThat(second.port()).as("%s second request's port", kind)
                    .isEqualTo(server.otherOriginUri(PATH).getPort());
            assertThat(second.header("Authorization")).as("%s Authorization to another origin", kind).isEmpty();
            assertThat(second.header("Cookie")).as("%s Cookie to another origin", kind).isEmpty();
            assertThat(second.header("Accept-Encoding")).as("%s Accept-Encoding to another origin", kind)
                    .contains("identity");
            assertThat(second.range()).as("%s Range to another origin", kind).contains("bytes=0-4095");
        }

        @Test
        void endsARedirectLoopWithAClearError() {
            server.fault(PATH, new Fault.Redirect(Fault.Redirect.Kind.LOOP, 302));
            try (RangeTransport t = transport()) {
                assertThatThrownBy(() -> t.send(RangeRequest.get(uri, Range.of(0, 10))))
                        .as("%s on a redirect loop", kind)
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("redirect loop")
                        .hasMessageContaining(uri.toString());
            }
        }

        @Test
        void followsNoMoreRedirectsThanConfigured() throws IOException {
            server.fault(PATH, new Fault.Redirect(Fault.Redirect.Kind.SAME_ORIGIN, 307));
            try (RangeTransport t = kind.create(TransportKind.options().withMaxRedirects(0))) {
                assertThatThrownBy(() -> t.send(RangeRequest.get(uri, Range.of(0, 10))))
                        .as("%s with maxRedirects 0", kind)
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("too many redirects (more than 0)");
            }
            try (RangeTransport t = kind.create(TransportKind.options().withMaxRedirects(1))) {
                assertThat(body(t.send(RangeRequest.get(uri, Range.of(0, 10)))))
                        .as("%s with maxRedirects 1", kind).isEqualTo(expected(Range.of(0, 10)));
            }
        }

        @Test
        void refusesARedirectFromHttpsToHttp() throws IOException {
            server.close();
            server = RangeServer.startHttps();
            server.add(PATH, LENGTH);
            server.fault(PATH, new Fault.Redirect(Fault.Redirect.Kind.HTTPS_TO_HTTP, 302));
            URI secure = server.httpsUri(PATH);
            try (RangeTransport t = kind.overCallersClient(server, TransportKind.options())) {
                assertThatThrownBy(() -> t.send(RangeRequest.get(secure, Range.of(0, 10))))
                        .as("%s on a redirect from https to http", kind)
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("refusing redirect from https to http");
            }
            assertThat(server.requests(PATH)).as("%s requests (none may reach http)", kind).singleElement()
                    .satisfies(r -> assertThat(r.port()).as("%s port of the only request", kind)
                            .isEqualTo(secure.getPort()));
        }
    }
}
