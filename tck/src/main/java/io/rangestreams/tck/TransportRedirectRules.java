package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.Range;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import java.io.IOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** T7: redirects. */
abstract class TransportRedirectRules extends TransportFixture {

    TransportRedirectRules(RangeTransportContract contract) {
        super(contract);
    }

    @Test
    @DisplayName("T7 301, 302, 303, 307 and 308 are followed, keeping the range; uri() is the final URI")
    final void redirectsAreFollowed() throws IOException {
        RangeTransport t = transport();
        for (int status : new int[] {301, 302, 303, 307, 308}) {
            String path = "/tck/redirect-" + status;
            server().add(path, 5000);
            server().fault(path, new Fault.Redirect(Fault.Redirect.Kind.SAME_ORIGIN, status));
            RangeResponse response = t.send(RangeRequest.get(uri(path), Range.of(100, 200)));
            assertThat(response.status()).as("%s: status after a %d", t.name(), status).isEqualTo(206);
            assertThat(response.uri()).as("%s: final URI after a %d", t.name(), status)
                    .isEqualTo(uri("/redirected" + path));
            assertThat(body(response)).as("%s: body after a %d", t.name(), status)
                    .isEqualTo(server().expected(path, Range.of(100, 200)));
        }
    }

    @Test
    @DisplayName("T7 a cross-origin redirect drops Authorization; the same origin keeps it")
    final void credentialsStayOnTheirOrigin() throws IOException {
        RangeTransport t = transport();
        server().add("/tck/cross", 5000);
        server().fault("/tck/cross", new Fault.Redirect(Fault.Redirect.Kind.CROSS_ORIGIN, 302));
        server().add("/tck/same", 5000);
        server().fault("/tck/same", new Fault.Redirect(Fault.Redirect.Kind.SAME_ORIGIN, 302));
        RangeResponse cross = t.send(RangeRequest.get(uri("/tck/cross"), Range.of(0, 100))
                .withHeader("Authorization", "Bearer secret"));
        assertThat(body(cross)).as("%s: body after a cross-origin redirect", t.name())
                .isEqualTo(server().expected("/tck/cross", Range.of(0, 100)));
        RangeServer.RecordedRequest other = server().requests("/tck/cross").stream()
                .filter(r -> r.port() != mainPort()).findFirst().orElseThrow();
        assertThat(other.header("Authorization")).as("%s: Authorization sent to another origin", t.name()).isEmpty();
        body(t.send(RangeRequest.get(uri("/tck/same"), Range.of(0, 100))
                .withHeader("Authorization", "Bearer secret")));
        assertThat(server().requests("/redirected/tck/same")).as("%s: requests after a same-origin redirect", t.name())
                .singleElement().satisfies(r -> assertThat(r.header("Authorization"))
                        .as("%s: Authorization on the same origin", t.name()).contains("Bearer secret"));
    }

    @Test
    @DisplayName("T7 a redirect loop or more redirects than allowed is an IOException")
    final void loopsAndLimits() {
        RangeTransport t = transport(defaultOptions().withMaxRedirects(0));
        server().add("/tck/loop", 100);
        server().fault("/tck/loop", new Fault.Redirect(Fault.Redirect.Kind.LOOP, 302));
        server().add("/tck/once", 100);
        server().fault("/tck/once", new Fault.Redirect(Fault.Redirect.Kind.SAME_ORIGIN, 302));
        RangeTransport looping = transport();
        assertThatThrownBy(() -> body(looping.send(RangeRequest.get(uri("/tck/loop"), Range.of(0, 10)))))
                .as("%s: a redirect loop", t.name()).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> body(t.send(RangeRequest.get(uri("/tck/once"), Range.of(0, 10)))))
                .as("%s: a redirect with maxRedirects 0", t.name()).isInstanceOf(IOException.class);
    }
}
