package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeNotSatisfiableException;
import io.rangestreams.RangeSet;
import io.rangestreams.RangeStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** R1 to R5: bytes, length, gaps and the end. */
abstract class StreamReadingRules extends StreamFixture {

    StreamReadingRules(RangeStreamContract contract) {
        super(contract);
    }

    @Test
    @DisplayName("R1 every read returns exactly the server's bytes")
    final void readsAreExact() throws IOException {
        RangeClient c = client();
        RangeStream s = open(c);
        Random random = new Random(5);
        for (int i = 0; i < 60; i++) {
            long start = random.nextInt(LENGTH);
            long stop = Math.min(LENGTH, start + 1 + random.nextInt(3000));
            Range r = Range.of(start, stop);
            assertThat(s.read(r)).as("%s: read(%s)", label(c), r).isEqualTo(expected(r));
            ByteBuffer dst = ByteBuffer.allocate((int) r.length());
            int n = s.read(start, dst);
            assertThat(n).as("%s: read(%d, %d bytes) count", label(c), start, r.length()).isPositive();
            assertThat(java.util.Arrays.copyOf(dst.array(), n)).as("%s: read(%d, dst)", label(c), start)
                    .isEqualTo(expected(Range.of(start, start + n)));
        }
    }

    @Test
    @DisplayName("R2 opening with Range.EMPTY learns the length with one HEAD")
    final void lengthFromHead() throws IOException {
        RangeClient c = client();
        try (RangeStream s = c.open(uri(), Range.EMPTY)) {
            assertThat(s.length()).as("%s: length", label(c)).isEqualTo(LENGTH);
            assertThat(server().requests(PATH)).as("%s: requests to learn the length", label(c))
                    .extracting(RangeServer.RecordedRequest::method).containsExactly("HEAD");
        }
    }

    @Test
    @DisplayName("R2 when HEAD is refused, the length is learned with a ranged GET")
    final void lengthWhenHeadIsRefused() throws IOException {
        server().fault(PATH, new Fault.HeadRefused());
        RangeClient c = client();
        try (RangeStream s = c.open(uri(), Range.EMPTY)) {
            assertThat(s.length()).as("%s: length with HEAD refused", label(c)).isEqualTo(LENGTH);
            List<RangeServer.RecordedRequest> log = server().requests(PATH);
            assertThat(log).as("%s: requests with HEAD refused: %s", label(c), log).hasSize(2);
            assertThat(log.get(0).status()).as("%s: HEAD status", label(c)).isEqualTo(405);
            assertThat(log.get(1).method()).as("%s: the probe after HEAD", label(c)).isEqualTo("GET");
            assertThat(log.get(1).range()).as("%s: the probe is ranged", label(c)).isPresent();
            assertThat(s.read(Range.of(0, 100))).as("%s: first bytes after the probe", label(c))
                    .isEqualTo(expected(Range.of(0, 100)));
        }
    }

    @Test
    @DisplayName("R2 opening with a range learns the length from Content-Range, with no other request")
    final void lengthFromContentRange() throws IOException {
        RangeClient c = client();
        try (RangeStream s = c.open(uri(), Range.of(0, 10))) {
            assertThat(s.length()).as("%s: length", label(c)).isEqualTo(LENGTH);
            assertThat(server().requests(PATH)).as("%s: requests", label(c)).singleElement()
                    .satisfies(r -> assertThat(r.method()).as("%s: method", label(c)).isEqualTo("GET"));
        }
    }

    @Test
    @DisplayName("R3 a suffix range is sent as bytes=-n before the length is known; negative ranges work")
    final void suffixAndNegativeRanges() throws IOException {
        RangeClient c = client();
        RangeStream s = open(c);
        assertThat(s.read(Range.suffix(100))).as("%s: the last 100 bytes", label(c))
                .isEqualTo(expected(Range.of(LENGTH - 100, LENGTH)));
        List<RangeServer.RecordedRequest> log = server().requests(PATH);
        assertThat(log.get(0).method()).as("%s: first request for a suffix: %s", label(c), log).isEqualTo("GET");
        assertThat(log.get(0).range().orElse("")).as("%s: Range header of the first request", label(c))
                .matches("bytes=-\\d+");
        assertThat(s.read(Range.of(-3000, -2000))).as("%s: read [-3000, -2000)", label(c))
                .isEqualTo(expected(Range.of(LENGTH - 3000, LENGTH - 2000)));
        assertThat(s.read(Range.of(-22, 0))).as("%s: read [-22, 0), the last 22 bytes", label(c))
                .isEqualTo(expected(Range.of(LENGTH - 22, LENGTH)));
    }

    @Test
    @DisplayName("R4 fetch requests only the gaps: after [0, 100) is held, [50, 200) sends nothing overlapping it")
    final void fetchRequestsOnlyGaps() throws IOException {
        RangeClient c = client();
        RangeStream s = open(c);
        s.fetch(Range.of(0, 100));
        RangeSet held = s.ranges();
        assertThat(held.encloses(Range.of(0, 100))).as("%s: ranges() after fetch [0, 100): %s", label(c), held)
                .isTrue();
        int before = server().requests(PATH).size();
        s.fetch(Range.of(50, 200));
        s.fetch(Range.of(5000, 6000));
        s.fetch(Range.of(100, 7000));
        for (RangeServer.RecordedRequest r : server().requests(PATH).subList(before, server().requests(PATH).size())) {
            Range asked = r.askedRange().orElseThrow(() -> new AssertionError(label(c) + ": request without one"
                    + " range: " + r));
            assertThat(held.intersect(asked.isResolved() ? asked : Range.of(0, LENGTH)).isEmpty())
                    .as("%s: request %s overlaps %s, held before", label(c), r.range().orElse(""), held).isTrue();
        }
        assertThat(s.ranges().encloses(Range.of(0, 7000))).as("%s: ranges() after the fetches: %s", label(c),
                s.ranges()).isTrue();
        int after = server().requests(PATH).size();
        s.fetch(Range.of(10, 6999));
        assertThat(server().requests(PATH)).as("%s: requests for bytes already held", label(c)).hasSize(after);
    }

    @Test
    @DisplayName("R5 past the end: EOFException, -1, RangeNotSatisfiableException")
    final void pastTheEnd() throws IOException {
        RangeClient c = client();
        RangeStream s = open(c);
        assertThatThrownBy(() -> s.read(Range.of(LENGTH - 10, LENGTH + 10))).as("%s: read running past the end",
                label(c)).isInstanceOf(EOFException.class);
        assertThat(s.read(LENGTH, ByteBuffer.allocate(10))).as("%s: read(length, dst)", label(c)).isEqualTo(-1);
        assertThat(s.read(LENGTH + 5, ByteBuffer.allocate(10))).as("%s: read(length + 5, dst)", label(c))
                .isEqualTo(-1);
        ByteBuffer tail = ByteBuffer.allocate(100);
        assertThat(s.read(LENGTH - 10, tail)).as("%s: read(length - 10, 100 bytes)", label(c)).isEqualTo(10);
        assertThatThrownBy(() -> s.fetch(Range.of(LENGTH + 10, LENGTH + 20)))
                .as("%s: fetch wholly past the end", label(c)).isInstanceOf(RangeNotSatisfiableException.class);
        s.fetch(Range.of(LENGTH - 5, LENGTH + 100));
        assertThat(s.ranges().encloses(Range.of(LENGTH - 5, LENGTH))).as("%s: fetch clipped to the end", label(c))
                .isTrue();
    }
}
