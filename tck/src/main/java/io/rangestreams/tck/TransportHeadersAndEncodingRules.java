package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import java.io.IOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** T5 and T6: headers sent, and bodies untouched. */
abstract class TransportHeadersAndEncodingRules extends TransportFixture {

    TransportHeadersAndEncodingRules(RangeTransportContract contract) {
        super(contract);
    }

    @Test
    @DisplayName("T5 request headers and the options' headers are sent")
    final void headersAreSent() throws IOException {
        RangeTransport t = transport(defaultOptions().withHeader("X-Tck", "options").withHeader("User-Agent", "tck/1"));
        body(t.send(RangeRequest.get(uri(), Range.of(0, 10)).withHeader("If-Range", server().etag(PATH))
                .withHeader("Authorization", "Bearer tck")));
        RangeServer.RecordedRequest seen = server().requests(PATH).get(0);
        assertThat(seen.header("If-Range")).as("%s: If-Range sent", t.name()).contains(server().etag(PATH));
        assertThat(seen.header("Authorization")).as("%s: Authorization sent", t.name()).contains("Bearer tck");
        assertThat(seen.header("X-Tck")).as("%s: header of the options sent", t.name()).contains("options");
        assertThat(seen.header("User-Agent")).as("%s: User-Agent of the options sent", t.name()).contains("tck/1");
    }

    @Test
    @DisplayName("T6 every request asks for identity encoding and bodies are never decoded")
    final void identityEncoding() throws IOException {
        server().fault(PATH, new Fault.GzipWhenAllowed());
        RangeTransport t = transport();
        RangeResponse response = t.send(RangeRequest.get(uri(), Range.of(1000, 3000)));
        byte[] bytes = body(response);
        body(t.send(RangeRequest.head(uri())));
        for (RangeServer.RecordedRequest r : server().requests(PATH)) {
            assertThat(r.header("Accept-Encoding")).as("%s: Accept-Encoding of %s %s", t.name(), r.method(), r.range())
                    .contains("identity");
        }
        assertThat(response.header("Content-Encoding").orElse("identity")).as("%s: Content-Encoding", t.name())
                .isEqualToIgnoringCase("identity");
        assertThat(bytes).as("%s: body of [1000, 3000) from a server that gzips when allowed", t.name())
                .isEqualTo(expected(Range.of(1000, 3000)));
    }
}
