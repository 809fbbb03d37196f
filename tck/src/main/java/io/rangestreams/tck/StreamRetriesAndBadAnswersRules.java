package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.HttpStatusException;
import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeSet;
import io.rangestreams.RangeStream;
import io.rangestreams.RangeStreamException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** R15 to R17: statuses to retry, bad answers and odd encodings. */
abstract class StreamRetriesAndBadAnswersRules extends StreamFixture {

    StreamRetriesAndBadAnswersRules(RangeStreamContract contract) {
        super(contract);
    }

    @Test
    @DisplayName("R15 429 and 503 with Retry-After are retried, then succeed")
    final void retryAfterIsHonoured() throws IOException {
        server().fault(PATH, new Fault.Status(503, Optional.of(Duration.ZERO), 1),
                new Fault.Status(429, Optional.of(Duration.ofSeconds(1)), 1));
        RangeClient c = client();
        RangeStream s = open(c);
        s.length();
        assertThat(s.read(Range.of(0, 1000))).as("%s: read after a 503 and a 429", label(c))
                .isEqualTo(expected(Range.of(0, 1000)));
        assertThat(gets()).as("%s: statuses of the GETs", label(c)).extracting(RangeServer.RecordedRequest::status)
                .containsExactly(503, 429, 206);
    }

    @Test
    @DisplayName("R15 5xx without Retry-After backs off and retries, within the budget")
    final void serverErrorsBackOff() throws IOException {
        server().fault(PATH, Fault.Status.of(500, 2));
        RangeClient c = client();
        RangeStream s = open(c);
        s.length();
        assertThat(s.read(Range.of(0, 1000))).as("%s: read after two 500s", label(c))
                .isEqualTo(expected(Range.of(0, 1000)));
        server().fault(PATH, Fault.Status.of(502, 10));
        assertThatThrownBy(() -> s.read(Range.of(10_000, 11_000))).as("%s: read while every answer is 502", label(c))
                .isInstanceOfSatisfying(HttpStatusException.class, e -> assertThat(e.status())
                        .as("%s: status", label(c)).isEqualTo(502));
        assertThat(gets().stream().filter(r -> r.status() == 502)).as("%s: 502 answers with 3 retries", label(c))
                .hasSize(4);
    }

    @Test
    @DisplayName("R16 a 206 for another range is a RangeStreamException naming both, and nothing is stored")
    final void wrongContentRange() throws IOException {
        server().fault(PATH, new Fault.WrongContentRange(100));
        RangeClient c = client();
        RangeStream s = open(c);
        s.length();
        assertThatThrownBy(() -> s.read(Range.of(2048, 3072))).as("%s: a 206 shifted by 100 bytes", label(c))
                .isInstanceOf(RangeStreamException.class)
                .hasMessageContaining("[2048, 3072)").hasMessageContaining("[2148, 3172)");
        assertThat(s.ranges()).as("%s: ranges() after a wrong Content-Range", label(c)).isEqualTo(RangeSet.EMPTY);
    }

    @Test
    @DisplayName("R16 a body longer than its range is a RangeStreamException, and nothing is stored")
    final void longerBody() throws IOException {
        server().fault(PATH, new Fault.LongerBody(10));
        RangeClient c = client();
        RangeStream s = open(c);
        s.length();
        assertThatThrownBy(() -> s.read(Range.of(2048, 3072))).as("%s: a body 10 bytes longer", label(c))
                .isInstanceOf(RangeStreamException.class).hasMessageContaining("[2048, 3072)");
        assertThat(s.ranges()).as("%s: ranges() after a body longer than its range", label(c))
                .isEqualTo(RangeSet.EMPTY);
    }

    @Test
    @DisplayName("R17 bodies without Content-Length (chunked) are read exactly, ranged or whole")
    final void noContentLength() throws IOException {
        server().fault(PATH, new Fault.NoContentLength());
        RangeClient c = client();
        RangeStream s = open(c);
        assertThat(s.read(Range.of(3000, 7000))).as("%s: chunked 206", label(c)).isEqualTo(expected(Range.of(3000, 7000)));
        server().add("/tck/whole.bin", 20_000);
        server().fault("/tck/whole.bin", new Fault.NoContentLength(), new Fault.IgnoreRange(), new Fault.HeadRefused());
        try (RangeStream whole = c.open(server().uri("/tck/whole.bin"))) {
            assertThat(whole.read(Range.of(5000, 6000))).as("%s: chunked 200 ignoring Range", label(c))
                    .isEqualTo(server().expected("/tck/whole.bin", Range.of(5000, 6000)));
            assertThat(whole.length()).as("%s: length learned at the end of a chunked 200", label(c))
                    .isEqualTo(20_000);
        }
    }

    @Test
    @DisplayName("R17 a server that gzips whenever allowed still yields the identity bytes")
    final void gzipWheneverAllowed() throws IOException {
        server().fault(PATH, new Fault.GzipWhenAllowed());
        RangeClient c = client();
        RangeStream s = open(c);
        assertThat(s.read(Range.of(0, 5000))).as("%s: bytes from a server that gzips when allowed", label(c))
                .isEqualTo(expected(Range.of(0, 5000)));
        assertThat(s.read(Range.suffix(50))).as("%s: suffix from a server that gzips when allowed", label(c))
                .isEqualTo(expected(Range.of(LENGTH - 50, LENGTH)));
    }
}
