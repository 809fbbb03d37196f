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

    /** Opens {@code uri}, learns its length (a HEAD), then lets the server misbehave as {@code faults} say. */
    private RangeStream openKnown(RangeClient client, URI uri, Fault... faults) throws IOException {
        RangeStream stream = client.open(uri);
        stream.length();
        server.fault(PATH, faults);
        return stream;
    }

    /** Asserts that the first GET asked for all {@code ranges}, and every later one for one range. */
    private List<RecordedRequest> assertOneForAllThenOneEach(List<Range> ranges, String what) {
        List<RecordedRequest> gets = gets();
        assertThat(gets.get(0).range()).as("%s: the first GET names all ranges", what).contains(header(ranges));
        assertThat(gets.subList(1, gets.size())).as("%s: the GETs after it name one range each", what)
                .allSatisfy(r -> assertThat(r.askedRange()).isPresent());
        return gets.subList(1, gets.size());
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
                        .contains("application/octet-stream");
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
        void aGroupHoldsAtMostTheLargestRequestsBytes() throws IOException {
            URI uri = server.add(PATH, 8L * MIB);
            List<Range> ranges = List.of(Range.of(0, 400 * KIB), Range.of(MIB, MIB + 400 * KIB),
                    Range.of(2 * MIB, 2 * MIB + 400 * KIB), Range.of(3 * MIB, 3 * MIB + 4 * KIB));
            try (RangeClient client = client("jdk", b -> b.maxRangesPerRequest(16).maxRequestSize(MIB));
                    RangeStream stream = openKnown(client, uri)) {
                stream.fetchAll(ranges);
                assertThat(gets()).as("GETs for 3 x 400 KiB and 4 KiB, 1 MiB at most per request")
                        .extracting(r -> r.range().orElse(""))
                        .containsExactlyInAnyOrder(header(ranges.subList(0, 2)), header(ranges.subList(2, 4)));
                assertHeldExactly(stream, ranges, "1 MiB per request");
            }
        }

        @ParameterizedTest
        @ValueSource(booleans = {false, true})
        void partsLargerThanAChunkAreStoredWholeOrCutCleanly(boolean cut) throws IOException {
            URI uri = server.add(PATH, 8L * MIB);
            List<Range> large = List.of(Range.of(1000, 601_000), Range.of(3 * MIB, 3 * MIB + 700_000),
                    Range.of(6 * MIB + 7, 6 * MIB + 500_007));
            Fault[] faults = cut ? new Fault[] {new Fault.BadMultipart(Fault.BadMultipart.Flaw.CUT_MID_PART)} : new Fault[0];
            try (RangeClient client = client("jdk", b -> b.maxRangesPerRequest(16));
                    RangeStream stream = openKnown(client, uri, faults)) {
                stream.fetchAll(large);
                assertThat(gets()).as("GETs for 3 ranges of 500-700 KiB, body cut: %s", cut).hasSize(cut ? 3 : 1);
                assertHeldExactly(stream, large, "large parts, cut: " + cut);
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

        /**
         * Checks what a server ignoring ranges got: one request for all, answered 200 and closed early
         * (the server got out less than half of the 64 MiB body), then requests for one range each.
         */
        private void assertRefusedThenOneEach(RangeStream stream, List<Range> ranges, String what) throws IOException {
            List<RecordedRequest> after = assertOneForAllThenOneEach(ranges, what);
            assertThat(gets().get(0).status()).as("%s: the first GET's status", what).isEqualTo(200);
            assertThat(gets().get(0).bodyBytes()).as("%s: bytes of the whole 64 MiB body the server got out before the"
                    + " client closed it", what).isLessThan(32L * MIB);
            assertThat(after).as("%s: the GETs after it", what).isNotEmpty();
            for (Range r : ranges) {
                assertThat(stream.read(r)).as("%s: bytes of %s", what, r).isEqualTo(server.expected(PATH, r));
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void aServerIgnoringRangesIsAskedOneRangePerRequest(String transport) throws IOException {
            URI uri = server.add(PATH, 64L * MIB);
            List<Range> ranges = scattered(64L * MIB, 10);
            try (RangeClient client = client(transport, b -> b.maxRangesPerRequest(16));
                    RangeStream stream = openKnown(client, uri, new Fault.IgnoreRange())) {
                stream.fetchAll(ranges);
                assertRefusedThenOneEach(stream, ranges, transport);
            }
        }

        @Test
        void aServerIgnoringRangesOnAFreshStreamIsServedFromTheFallback() throws IOException {
            URI uri = server.add(PATH, 64L * MIB);
            server.fault(PATH, new Fault.IgnoreRange());
            List<Range> ranges = scattered(64L * MIB, 10);
            try (RangeClient client = client("jdk", b -> b.maxRangesPerRequest(16)); RangeStream stream = client.open(uri)) {
                stream.fetchAll(ranges);
                assertRefusedThenOneEach(stream, ranges, "fresh stream");
                assertThat(stream.resource().rangesHonoured()).as("ranges honoured, as the stream learned").isFalse();
            }
        }

        @Test
        void oneRangeForSeveralIsKeptWhenItIsAtMostTwiceTheBytesAsked() throws IOException {
            URI uri = server.add(PATH, 8L * MIB);
            // 3 x 4 KiB asked over a span of 12 KiB and 2 gaps of 2 KiB: 16 KiB, under twice the bytes asked.
            List<Range> near = List.of(Range.of(10_000, 14_096), Range.of(16_144, 20_240), Range.of(22_288, 26_384));
            try (RangeClient client = client("jdk", b -> b.maxRangesPerRequest(16));
                    RangeStream stream = openKnown(client, uri, new Fault.CoalesceRanges())) {
                stream.fetchAll(near);
                assertThat(gets()).as("GETs for 3 near ranges answered by one range").hasSize(1);
                assertHeldExactly(stream, near, "coalesced");
            }
        }

        @Test
        void oneRangeForSeveralIsRefusedWhenItIsMoreThanTwiceTheBytesAsked() throws IOException {
            URI uri = server.add(PATH, 8L * MIB);
            List<Range> ranges = scattered(8L * MIB, 10);
            try (RangeClient client = client("jdk", b -> b.maxRangesPerRequest(16));
                    RangeStream stream = openKnown(client, uri, new Fault.CoalesceRanges())) {
                stream.fetchAll(ranges);
                assertThat(assertOneForAllThenOneEach(ranges, "span refused")).as("GETs after the first").hasSize(10);
                assertThat(gets().get(0).bodyBytes()).as("bytes of the 8 MiB span sent before the client closed it")
                        .isLessThan(8L * MIB);
                assertHeldExactly(stream, ranges, "span refused");
            }
        }

        @Test
        void aChangedFileIsAChangeNotARefusal() throws IOException {
            URI uri = server.add(PATH, 8L * MIB);
            List<Range> ranges = scattered(8L * MIB, 10);
            try (RangeClient client = client("jdk", b -> b.maxRangesPerRequest(16)); RangeStream stream = client.open(uri)) {
                stream.fetchAll(ranges.subList(0, 5));
                server.change(PATH);
                stream.fetchAll(ranges.subList(5, 10));
                assertHeldExactly(stream, ranges.subList(5, 10), "after the change");
                int before = gets().size();
                List<Range> more = ranges.stream().map(r -> Range.of(r.start() + 100_000, r.stop() + 100_000)).toList();
                stream.fetchAll(more);
                assertThat(gets().subList(before, gets().size())).as("GETs for 10 more ranges after the change")
                        .extracting(r -> r.range().orElse("")).containsExactly(header(more));
                assertHeldExactly(stream, more, "after the change");
                for (Range r : ranges.subList(0, 5)) {
                    assertThat(stream.read(r)).as("bytes of %s, held before the change: the new version's", r)
                            .isEqualTo(server.expected(PATH, r));
                }
            }
        }

        @ParameterizedTest
        @EnumSource(Fault.BadMultipart.Flaw.class)
        void aSpoiledMultipartBodyKeepsOnlyWholeCheckedParts(Fault.BadMultipart.Flaw flaw) throws IOException {
            URI uri = server.add(PATH, 8L * MIB);
            List<Range> ranges = scattered(8L * MIB, 10);
            try (RangeClient client = client("jdk", b -> b.maxRangesPerRequest(16));
                    RangeStream stream = openKnown(client, uri, new Fault.BadMultipart(flaw))) {
                stream.fetchAll(ranges);
                // The first part arrives whole before the flaw in the second part; the others spoil the body at once.
                int kept = switch (flaw) {
                    case SHIFTED_PART, CUT_MID_PART, LONGER_PART -> 1;
                    case NO_BOUNDARY, WRONG_TOTAL -> 0;
                };
                assertThat(assertOneForAllThenOneEach(ranges, flaw.toString())).as("%s: GETs after the first", flaw)
                        .hasSize(ranges.size() - kept);
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
