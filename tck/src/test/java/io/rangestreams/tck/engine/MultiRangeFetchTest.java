package io.rangestreams.tck.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.storage.memory.MemoryRangeStore;
import io.rangestreams.tck.Fault;
import io.rangestreams.tck.RangeServer;
import io.rangestreams.tck.RangeServer.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several ranges in one request ({@code RangeClient.Builder.maxRangesPerRequest}), seen from
 * {@link RangeServer}: what is sent, the bytes kept, and the fallbacks when the server ignores the ranges or
 * sends a spoiled multipart body. Memory store; every bundled transport where it is cheap.
 */
class MultiRangeFetchTest {

    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;
    private static final String PATH = "/multi.bin";

    private RangeServer server;

    @BeforeEach
    void start() throws IOException {
        server = RangeServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static RangeClient client(String transport, UnaryOperator<RangeClient.Builder> tuning) {
        return tuning.apply(RangeClient.builder().transport(transport).store(new MemoryRangeStore()).maxGap(0)).build();
    }

    /** {@code count} ranges of 4 KiB, about {@code length / count} apart, none at a block boundary. */
    private static List<Range> scattered(long length, int count) {
        List<Range> ranges = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long start = i * (length / count) + 1000 + i;
            ranges.add(Range.of(start, start + 4 * KIB));
        }
        return ranges;
    }

    /** The {@code Range} header naming {@code ranges}, in HTTP's inclusive form. */
    private static String header(List<Range> ranges) {
        return ranges.stream().map(r -> r.start() + "-" + (r.stop() - 1)).collect(Collectors.joining(",", "bytes=", ""));
    }

    private List<RecordedRequest> gets() {
        return server.requests(PATH).stream().filter(r -> r.method().equals("GET")).toList();
    }

    /** Reads every range back from {@code stream} and checks it against the server's bytes, sending nothing. */
    private void assertHeldExactly(RangeStream stream, List<Range> ranges, String what) throws IOException {
        int before = server.requests(PATH).size();
        for (Range r : ranges) {
            assertThat(stream.read(r)).as("%s: bytes of %s", what, r).isEqualTo(server.expected(PATH, r));
        }
        assertThat(server.requests(PATH)).as("%s: requests reading back what fetchAll fetched", what).hasSize(before);
    }

    @Nested
    class OneRequest {

        @ParameterizedTest
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void tenScatteredRangesGoAsOneRequest(String transport) throws IOException {
            URI uri = server.add(PATH, 8L * MIB);
            List<Range> ranges = scattered(8L * MIB, 10);
            try (RangeClient client = client(transport, b -> b.maxRangesPerRequest(16));
                    RangeStream stream = client.open(uri)) {
                stream.fetchAll(ranges);
                assertThat(gets()).as("%s: GETs for 10 scattered ranges, 16 per request", transport).hasSize(1);
                assertThat(gets().get(0).range()).as("%s: the one request's Range header", transport)
                        .contains(header(ranges));
                assertThat(stream.stats().requests()).as("%s: requests counted", transport).isEqualTo(1);
                assertThat(stream.stats().bytesFetched()).as("%s: body bytes counted (parts and framing)", transport)
                        .isEqualTo(gets().get(0).bodyBytes());
                assertHeldExactly(stream, ranges, transport);
                assertThat(stream.resource().contentType()).as("%s: the resource's type, not the multipart one", transport)
                        .isNotEqualTo(java.util.Optional.of("multipart/byteranges; boundary=range-server-boundary"));
            }
        }

        @Test
        void rangesPastTheOptionGoInSeveralRequests() throws IOException {
            URI uri = server.add(PATH, 8L * MIB);
            List<Range> ranges = scattered(8L * MIB, 10);
            try (RangeClient client = client("jdk", b -> b.maxRangesPerRequest(4)); RangeStream stream = client.open(uri)) {
                stream.length();
                stream.fetchAll(ranges);
                assertThat(gets()).as("GETs for 10 ranges, 4 per request").hasSize(3);
                assertThat(gets()).as("each GET's Range header").extracting(r -> r.range().orElse(""))
                        .containsExactlyInAnyOrder(header(ranges.subList(0, 4)), header(ranges.subList(4, 8)),
                                header(ranges.subList(8, 10)));
                assertHeldExactly(stream, ranges, "4 per request");
            }
        }

        @Test
        void theDefaultSendsOneRequestPerRange() throws IOException {
            URI uri = server.add(PATH, 8L * MIB);
            List<Range> ranges = scattered(8L * MIB, 10);
            try (RangeClient client = client("jdk", b -> b); RangeStream stream = client.open(uri)) {
                stream.fetchAll(ranges);
                assertThat(gets()).as("GETs for 10 scattered ranges by default").hasSize(10);
                assertThat(gets()).as("every GET names one range").allSatisfy(r -> assertThat(r.askedRange()).isPresent());
                assertHeldExactly(stream, ranges, "default");
            }
        }

        @Test
        void belowOneIsRefusedWithTheValue() {
            assertThatThrownBy(() -> RangeClient.builder().maxRangesPerRequest(0))
                    .as("maxRangesPerRequest(0)")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maxRangesPerRequest")
                    .hasMessageContaining("0");
        }
    }

    @Nested
    class Fallbacks {

        @ParameterizedTest
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void aServerIgnoringRangesIsAskedOneRangePerRequest(String transport) throws IOException {
            long length = 64L * MIB;
            URI uri = server.add(PATH, length);
            List<Range> ranges = scattered(length, 10);
            try (RangeClient client = client(transport, b -> b.maxRangesPerRequest(16));
                    RangeStream stream = client.open(uri)) {
                stream.length();
                server.fault(PATH, new Fault.IgnoreRange());
                stream.fetchAll(ranges);
                List<RecordedRequest> gets = gets();
                assertThat(gets.get(0).range()).as("%s: the first GET names all ranges", transport).contains(header(ranges));
                assertThat(gets.get(0).status()).as("%s: its status", transport).isEqualTo(200);
                assertThat(gets.get(0).bodyBytes()).as("%s: bytes of the whole 64 MiB body the server got out before"
                        + " the client closed it", transport).isLessThan(length / 2);
                assertThat(gets.subList(1, gets.size())).as("%s: the GETs after it name one range each", transport)
                        .isNotEmpty().allSatisfy(r -> assertThat(r.askedRange()).isPresent());
                for (Range r : ranges) {
                    assertThat(stream.read(r)).as("%s: bytes of %s", transport, r).isEqualTo(server.expected(PATH, r));
                }
            }
        }

        @ParameterizedTest
        @EnumSource(Fault.BadMultipart.Flaw.class)
        void aSpoiledMultipartBodyKeepsOnlyWholeCheckedParts(Fault.BadMultipart.Flaw flaw) throws IOException {
            URI uri = server.add(PATH, 8L * MIB);
            List<Range> ranges = scattered(8L * MIB, 10);
            try (RangeClient client = client("jdk", b -> b.maxRangesPerRequest(16)); RangeStream stream = client.open(uri)) {
                stream.length();
                server.fault(PATH, new Fault.BadMultipart(flaw));
                stream.fetchAll(ranges);
                List<RecordedRequest> gets = gets();
                assertThat(gets.get(0).range()).as("%s: the first GET names all ranges", flaw).contains(header(ranges));
                // The first part arrives whole before the flaw in the second part; the others spoil the body at once.
                int kept = switch (flaw) {
                    case SHIFTED_PART, CUT_MID_PART, LONGER_PART -> 1;
                    case NO_BOUNDARY, WRONG_TOTAL -> 0;
                };
                assertThat(gets.subList(1, gets.size())).as("%s: the GETs after it, one range each", flaw)
                        .hasSize(ranges.size() - kept)
                        .allSatisfy(r -> assertThat(r.askedRange()).isPresent());
                assertHeldExactly(stream, ranges, flaw.toString());
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"okhttp", "apache"})
        void aShiftedPartIsNeverKeptOverEveryTransport(String transport) throws IOException {
            URI uri = server.add(PATH, 8L * MIB);
            List<Range> ranges = scattered(8L * MIB, 10);
            try (RangeClient client = client(transport, b -> b.maxRangesPerRequest(16));
                    RangeStream stream = client.open(uri)) {
                server.fault(PATH, new Fault.BadMultipart(Fault.BadMultipart.Flaw.SHIFTED_PART));
                stream.fetchAll(ranges);
                assertThat(gets()).as("%s: one multi-range GET, then one per range not kept", transport)
                        .hasSize(1 + ranges.size() - 1);
                assertHeldExactly(stream, ranges, transport);
            }
        }
    }
}
