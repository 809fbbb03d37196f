package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** T1 to T4: what is asked is what comes back. */
abstract class TransportRequestsAndResponsesRules extends TransportFixture {

    TransportRequestsAndResponsesRules(RangeTransportContract contract) {
        super(contract);
    }

    @Test
    @DisplayName("T1 a closed range returns 206 and exactly its bytes")
    final void closedRange() throws IOException {
        RangeTransport t = transport();
        for (Range r : List.of(Range.of(0, 1), Range.of(0, 1000), Range.of(12_345, 67_890), Range.of(LENGTH - 1, LENGTH))) {
            RangeResponse response = t.send(RangeRequest.get(uri(), r));
            assertThat(response.status()).as("%s: status for %s", t.name(), r).isEqualTo(206);
            assertThat(body(response)).as("%s: body for %s", t.name(), r).isEqualTo(expected(r));
        }
    }

    @Test
    @DisplayName("T1 open-ended and suffix ranges return exactly their bytes")
    final void openAndSuffixRanges() throws IOException {
        RangeTransport t = transport();
        RangeResponse open = t.send(RangeRequest.get(uri(), Range.from(90_000)));
        assertThat(open.status()).as("%s: status for bytes=90000-", t.name()).isEqualTo(206);
        assertThat(body(open)).as("%s: body for bytes=90000-", t.name()).isEqualTo(expected(Range.of(90_000, LENGTH)));
        RangeResponse suffix = t.send(RangeRequest.get(uri(), Range.suffix(777)));
        assertThat(suffix.status()).as("%s: status for bytes=-777", t.name()).isEqualTo(206);
        assertThat(body(suffix)).as("%s: body for bytes=-777", t.name())
                .isEqualTo(expected(Range.of(LENGTH - 777, LENGTH)));
        RangeResponse pastEnd = t.send(RangeRequest.get(uri(), Range.of(LENGTH - 10, LENGTH + 500)));
        assertThat(pastEnd.status()).as("%s: status for a range running past the end", t.name()).isEqualTo(206);
        assertThat(body(pastEnd)).as("%s: body for a range running past the end is clipped", t.name())
                .isEqualTo(expected(Range.of(LENGTH - 10, LENGTH)));
    }

    @Test
    @DisplayName("T2 the Range header sent is exactly the request's; no ranges sends none")
    final void rangeHeaderIsExact() throws IOException {
        RangeTransport t = transport();
        RangeRequest several = new RangeRequest("GET", uri(), List.of(Range.of(0, 10), Range.from(99_990)), Map.of());
        body(t.send(RangeRequest.get(uri(), Range.of(5, 10))));
        body(t.send(RangeRequest.get(uri(), Range.suffix(3))));
        body(t.send(several));
        body(t.send(RangeRequest.getAll(uri())));
        List<Optional<String>> sent = server().requests(PATH).stream().map(RangeServer.RecordedRequest::range).toList();
        assertThat(sent).as("%s: Range headers the server saw", t.name()).containsExactly(Optional.of("bytes=5-9"),
                Optional.of("bytes=-3"), Optional.of("bytes=0-9,99990-"), Optional.empty());
    }

    @Test
    @DisplayName("T3 statuses are returned, not thrown, with their headers")
    final void statusesArePassedThrough() throws IOException {
        RangeTransport t = transport();
        RangeResponse partial = t.send(RangeRequest.get(uri(), Range.of(10, 20)));
        assertThat(partial.header("Content-Range")).as("%s: Content-Range of a 206", t.name())
                .contains("bytes 10-19/" + LENGTH);
        assertThat(partial.contentLength()).as("%s: Content-Length of a 206", t.name()).hasValue(10);
        assertThat(partial.header("ETag")).as("%s: ETag of a 206", t.name()).contains(server().etag(PATH));
        body(partial);
        RangeResponse whole = t.send(RangeRequest.getAll(uri()));
        assertThat(whole.status()).as("%s: status of a GET without Range", t.name()).isEqualTo(200);
        assertThat(body(whole)).as("%s: body of a 200", t.name()).isEqualTo(expected(Range.of(0, LENGTH)));
        RangeResponse unsatisfiable = t.send(RangeRequest.get(uri(), Range.of(LENGTH + 10, LENGTH + 20)));
        assertThat(unsatisfiable.status()).as("%s: status past the end", t.name()).isEqualTo(416);
        assertThat(unsatisfiable.header("Content-Range")).as("%s: Content-Range of a 416", t.name())
                .contains("bytes */" + LENGTH);
        body(unsatisfiable);
        RangeResponse missing = t.send(RangeRequest.get(uri("/tck/missing"), Range.of(0, 10)));
        assertThat(missing.status()).as("%s: status of a missing resource", t.name()).isEqualTo(404);
        body(missing);
        server().fault(PATH, new Fault.Status(503, Optional.of(Duration.ofSeconds(7)), 1));
        RangeResponse unavailable = t.send(RangeRequest.get(uri(), Range.of(0, 10)));
        assertThat(unavailable.status()).as("%s: status of an injected 503", t.name()).isEqualTo(503);
        assertThat(unavailable.header("Retry-After")).as("%s: Retry-After of a 503", t.name()).contains("7");
        body(unavailable);
    }

    @Test
    @DisplayName("T4 a HEAD returns status and headers and an empty body")
    final void head() throws IOException {
        RangeTransport t = transport();
        RangeResponse response = t.send(RangeRequest.head(uri()));
        assertThat(response.status()).as("%s: status of HEAD", t.name()).isEqualTo(200);
        assertThat(response.contentLength()).as("%s: Content-Length of HEAD", t.name()).hasValue(LENGTH);
        assertThat(response.header("ETag")).as("%s: ETag of HEAD", t.name()).contains(server().etag(PATH));
        assertThat(body(response)).as("%s: body of HEAD", t.name()).isEmpty();
        assertThat(server().requests(PATH)).as("%s: requests the server saw", t.name())
                .extracting(RangeServer.RecordedRequest::method).containsExactly("HEAD");
    }
}
