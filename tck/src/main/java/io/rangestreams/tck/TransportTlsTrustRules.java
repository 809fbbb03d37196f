package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.Range;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.TlsTrust;
import io.rangestreams.spi.TransportOptions;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** T16: trust over https. */
abstract class TransportTlsTrustRules extends TransportFixture {

    TransportTlsTrustRules(RangeTransportContract contract) {
        super(contract);
    }

    @Test
    @DisplayName("T16 with trust in a self-signed certificate, https answers; without, one line names the host")
    final void trustIsUsedAndAFailureNamesTheHost() throws IOException {
        try (RangeServer secure = RangeServer.startHttps()) {
            secure.add(PATH, LENGTH);
            URI target = secure.httpsUri(PATH);
            RangeTransport trusting = transport(defaultOptions().withTrust(TlsTrust.of(secure.clientTrustManager())));
            assertThat(body(trusting.send(RangeRequest.get(target, Range.of(10, 20)))))
                    .as("%s: body of %s with trust in its certificate", trusting.name(), target)
                    .isEqualTo(secure.expected(PATH, Range.of(10, 20)));
            RangeTransport untrusting = transport(TransportOptions.defaults()
                    .withConnectTimeout(Duration.ofSeconds(5)).withReadTimeout(Duration.ofSeconds(10)));
            assertThatThrownBy(() -> body(untrusting.send(RangeRequest.get(target, Range.of(10, 20)))))
                    .as("%s: %s without trust in its self-signed certificate", untrusting.name(), target)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("127.0.0.1:" + secure.httpsPort())
                    .hasMessageContaining("not trusted")
                    .satisfies(e -> assertThat(e.getMessage()).as("%s: the failure's message", untrusting.name())
                            .doesNotContain("\n"));
        }
    }
}
