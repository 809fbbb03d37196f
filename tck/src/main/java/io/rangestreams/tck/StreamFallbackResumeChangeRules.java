package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.ChangePolicy;
import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.RangeStreamException;
import io.rangestreams.ResourceChangedException;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** R10, R12 to R14: servers that ignore ranges, cut bodies short or change the file. */
abstract class StreamFallbackResumeChangeRules extends StreamFixture {

    StreamFallbackResumeChangeRules(RangeStreamContract contract) {
        super(contract);
    }

    @Test
    @DisplayName("R12 a server that ignores Range is read through one streamed download")
    final void ignoredRangeFallsBack() throws IOException {
        server().fault(PATH, new Fault.IgnoreRange());
        RangeClient c = client(b -> b.fallbackMemoryLimit(8 * 1024).spillDirectory(dir()));
        RangeStream s = open(c);
        assertThat(s.read(Range.of(40_000, 40_100))).as("%s: [40000, 40100) from a server ignoring Range", label(c))
                .isEqualTo(expected(Range.of(40_000, 40_100)));
        assertThat(s.read(Range.of(100, 200))).as("%s: [100, 200) read backwards", label(c))
                .isEqualTo(expected(Range.of(100, 200)));
        assertThat(s.read(Range.suffix(10))).as("%s: the last 10 bytes", label(c))
                .isEqualTo(expected(Range.of(LENGTH - 10, LENGTH)));
        assertThat(s.read(Range.of(0, LENGTH))).as("%s: everything", label(c)).isEqualTo(expected(Range.of(0, LENGTH)));
        assertThat(s.resource().rangesHonoured()).as("%s: resource().rangesHonoured()", label(c)).isFalse();
        assertThat(s.length()).as("%s: length", label(c)).isEqualTo(LENGTH);
        assertThat(gets()).as("%s: GETs to a server ignoring Range (one full download only)", label(c)).hasSize(1);
    }

    @Test
    @DisplayName("R13 a body cut short is resumed from the last byte with If-Range, exactly")
    final void truncatedBodyIsResumed() throws IOException {
        server().fault(PATH, new Fault.TruncateBody(1500, 1));
        RangeClient c = client();
        RangeStream s = open(c);
        s.length();
        assertThat(s.read(Range.of(0, 8000))).as("%s: [0, 8000) with the first body cut after 1500 bytes", label(c))
                .isEqualTo(expected(Range.of(0, 8000)));
        List<RangeServer.RecordedRequest> log = gets();
        assertThat(log).as("%s: GETs: %s", label(c), log).hasSizeGreaterThanOrEqualTo(2);
        assertThat(log.get(1).askedRange().map(Range::start)).as("%s: the resumed request starts at 1500", label(c))
                .contains(1500L);
        assertThat(log.get(1).header("If-Range")).as("%s: the resumed request carries If-Range", label(c))
                .contains(server().etag(PATH));
    }

    @Test
    @DisplayName("R13 a connection reset mid-body is resumed, exactly")
    final void resetBodyIsResumed() throws IOException {
        server().fault(PATH, new Fault.ResetConnection(2000, 2));
        RangeClient c = client();
        RangeStream s = open(c);
        assertThat(s.read(Range.of(0, 9000))).as("%s: [0, 9000) with two bodies reset after 2000 bytes", label(c))
                .isEqualTo(expected(Range.of(0, 9000)));
        List<RangeServer.RecordedRequest> log = gets();
        assertThat(log.get(log.size() - 1).header("If-Range")).as("%s: the last resumed request carries If-Range",
                label(c)).isPresent();
    }

    @Test
    @DisplayName("R13 when the retry budget is spent the error says how many bytes of which range arrived")
    final void retryBudgetIsReported() throws IOException {
        server().fault(PATH, new Fault.TruncateBody(300, 100));
        RangeClient c = client(b -> b.retries(2));
        RangeStream s = open(c);
        assertThatThrownBy(() -> s.read(Range.of(0, 4096))).as("%s: every body cut after 300 bytes, 2 retries",
                label(c)).isInstanceOf(RangeStreamException.class)
                .hasMessageContaining("[0, 4096)").hasMessageContaining("received 900 of 4096 bytes");
        assertThat(gets()).as("%s: GETs with 2 retries", label(c)).hasSize(3);
    }

    @Test
    @DisplayName("R10 a changed file: If-Range is sent, held bytes are dropped, the new version is read whole")
    final void changedFileIsRefetched() throws IOException {
        RangeClient c = client();
        RangeStream s = open(c);
        s.read(Range.of(0, 2048));
        String oldEtag = server().etag(PATH);
        server().change(PATH);
        int before = gets().size();
        byte[] spanning = s.read(Range.of(1000, 6000));
        assertThat(gets().get(before).header("If-Range")).as("%s: If-Range of the request after the change", label(c))
                .contains(oldEtag);
        assertThat(spanning).as("%s: a read spanning old held bytes and a gap, after the change", label(c))
                .isEqualTo(expected(Range.of(1000, 6000)));
        assertThat(s.read(Range.of(0, 2048))).as("%s: the formerly held bytes, after the change", label(c))
                .isEqualTo(expected(Range.of(0, 2048)));
        assertThat(s.resource().etag()).as("%s: ETag after the change", label(c)).contains(server().etag(PATH));
    }

    @Test
    @DisplayName("R14 with ChangePolicy.FAIL a changed file is a ResourceChangedException and held bytes are dropped")
    final void changedFileFails() throws IOException {
        RangeClient c = client(b -> b.onChange(ChangePolicy.FAIL));
        RangeStream s = open(c);
        s.read(Range.of(0, 2048));
        server().change(PATH);
        assertThatThrownBy(() -> s.read(Range.of(1000, 6000))).as("%s: read after the file changed", label(c))
                .isInstanceOf(ResourceChangedException.class);
        assertThat(s.ranges().intersect(Range.of(0, 2048)).totalLength())
                .as("%s: old bytes left in the store: %s", label(c), s.ranges()).isZero();
        assertThat(s.read(Range.of(0, 2048))).as("%s: a read after the failure gets the new version", label(c))
                .isEqualTo(expected(Range.of(0, 2048)));
    }
}
