package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeTransport;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** T5 made afresh: headers from the options' {@link io.rangestreams.spi.RequestHeaders}. */
abstract class TransportHeadersPerRequestRules extends TransportFixture {

    TransportHeadersPerRequestRules(RangeTransportContract contract) {
        super(contract);
    }

    @Test
    @DisplayName("T5 the options' RequestHeaders are called for every request and their headers sent")
    final void requestHeadersAreMadePerRequest() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        RangeTransport t = transport(defaultOptions().withHeader("Authorization", "Bearer fixed")
                .withRequestHeaders(u -> Map.of("Authorization", "Bearer token-" + calls.incrementAndGet())));
        for (int i = 0; i < 3; i++) {
            body(t.send(RangeRequest.get(uri(), Range.of(i, i + 10))));
        }
        assertThat(server().requests(PATH)).as("%s: Authorization of three requests, a token made for each", t.name())
                .extracting(r -> r.header("Authorization").orElse("none"))
                .containsExactly("Bearer token-1", "Bearer token-2", "Bearer token-3");
    }

    @Test
    @DisplayName("T5 a header made per request does not follow a redirect to another origin")
    final void requestHeadersStayOnTheirOrigin() throws IOException {
        RangeTransport t = transport(defaultOptions().withRequestHeaders(u -> Map.of("Authorization", "Bearer made")));
        server().add("/tck/made-cross", 5000);
        server().fault("/tck/made-cross", new Fault.Redirect(Fault.Redirect.Kind.CROSS_ORIGIN, 302));
        assertThat(body(t.send(RangeRequest.get(uri("/tck/made-cross"), Range.of(0, 100)))))
                .as("%s: body after a cross-origin redirect", t.name())
                .isEqualTo(server().expected("/tck/made-cross", Range.of(0, 100)));
        assertThat(server().requests("/tck/made-cross")).as("%s: Authorization at each origin", t.name())
                .extracting(r -> r.header("Authorization").orElse("none")).containsExactly("Bearer made", "none");
    }
}
