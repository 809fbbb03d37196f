package io.rangestreams.tck.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.tck.Fault;
import io.rangestreams.tck.RangeServer;
import io.rangestreams.tck.RangeServer.RecordedRequest;
import java.io.IOException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each bundled transport returns exactly the bytes asked for, with the headers it should send. */
@ParameterizedClass(name = "{0}")
@EnumSource(TransportKind.class)
class TransportExactBytesTest extends TransportBehaviourFixture {

    TransportExactBytesTest(TransportKind kind) {
        super(kind);
    }

    @Nested
    class ExactBytes {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"closed [1000, 5096)", "open [999000, end)", "suffix last 777"})
        void returnsExactlyTheRequestedBytes(String which) throws IOException {
            Range range = switch (which.split(" ")[0]) {
                case "closed" -> Range.of(1000, 5096);
                case "open" -> Range.from(999_000);
                default -> Range.suffix(777);
            };
            try (RangeTransport t = transport()) {
                RangeResponse response = t.send(RangeRequest.get(uri, range));
                assertThat(response.status()).as("%s status for %s", kind, range).isEqualTo(206);
                Range resolved = range.resolve(LENGTH);
                assertThat(response.contentRange().flatMap(c -> c.range()))
                        .as("%s Content-Range for %s", kind, range).contains(resolved);
                assertThat(body(response)).as("%s body of %s", kind, range).isEqualTo(expected(range));
            }
            assertThat(server.requests(PATH).get(0).range())
                    .as("%s Range header sent for %s", kind, range)
                    .contains(RangeRequest.get(uri, range).rangeHeader().orElseThrow());
        }

        @Test
        void headReturnsHeadersAndAnEmptyBody() throws IOException {
            try (RangeTransport t = transport()) {
                RangeResponse response = t.send(RangeRequest.head(uri));
                assertThat(response.status()).as("%s HEAD status", kind).isEqualTo(200);
                assertThat(response.contentLength()).as("%s HEAD Content-Length", kind).hasValue(LENGTH);
                assertThat(body(response)).as("%s HEAD body", kind).isEmpty();
            }
        }

        @Test
        void yieldsTheFileBytesFromAServerThatGzipsWheneverAllowed() throws IOException {
            server.fault(PATH, new Fault.GzipWhenAllowed());
            Range range = Range.of(10_000, 60_000);
            try (RangeTransport t = transport()) {
                RangeResponse response = t.send(RangeRequest.get(uri, range));
                assertThat(response.header("Content-Encoding")).as("%s Content-Encoding", kind).isEmpty();
                assertThat(body(response)).as("%s body of %s from a gzipping server", kind, range)
                        .isEqualTo(expected(range));
            }
            assertThat(server.requests(PATH)).as("%s requests", kind).singleElement()
                    .satisfies(r -> assertThat(r.header("Accept-Encoding")).as("%s Accept-Encoding", kind)
                            .contains("identity"));
        }

        @Test
        void identityEvenOverTheCallersClientWhoseDefaultsAskForGzip() throws IOException {
            server.close();
            server = RangeServer.startHttps();
            uri = server.add(PATH, LENGTH);
            server.fault(PATH, new Fault.GzipWhenAllowed());
            Range range = Range.of(5, 70_000);
            try (RangeTransport t = kind.overCallersClient(server, TransportKind.options())) {
                assertThat(body(t.send(RangeRequest.get(server.uri(PATH), range))))
                        .as("%s (caller's client) body of %s from a gzipping server", kind, range)
                        .isEqualTo(expected(range));
            }
            assertThat(server.requests(PATH).get(0).header("Accept-Encoding"))
                    .as("%s (caller's client) Accept-Encoding", kind).contains("identity");
        }

        @Test
        void sendsTheOptionsHeadersAndTheRequestsOwn() throws IOException {
            TransportOptions options = TransportKind.options()
                    .withHeader("Authorization", "Bearer token-1")
                    .withHeader("User-Agent", "test-agent/1");
            try (RangeTransport t = kind.create(options)) {
                body(t.send(RangeRequest.get(uri, Range.of(0, 10)).withHeader("If-Range", server.etag(PATH))));
            }
            RecordedRequest seen = server.requests(PATH).get(0);
            assertThat(seen.header("Authorization")).as("%s Authorization", kind).contains("Bearer token-1");
            assertThat(seen.header("User-Agent")).as("%s User-Agent", kind).contains("test-agent/1");
            assertThat(seen.header("If-Range")).as("%s If-Range", kind).contains(server.etag(PATH));
        }

        @Test
        void passesErrorStatusesThrough() throws IOException {
            try (RangeTransport t = transport()) {
                RangeResponse response = t.send(RangeRequest.get(uri, Range.of(LENGTH + 10, LENGTH + 20)));
                assertThat(response.status()).as("%s status for a range past the end", kind).isEqualTo(416);
                body(response);
                RangeResponse missing = t.send(RangeRequest.get(server.uri("/missing"), Range.of(0, 1)));
                assertThat(missing.status()).as("%s status for a missing resource", kind).isEqualTo(404);
                body(missing);
            }
        }
    }
}
