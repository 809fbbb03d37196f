package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.HttpStatusException;
import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeNotSatisfiableException;
import io.rangestreams.RangeStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** R6 to R9, R11: views, counters, statuses and lifecycle. */
abstract class StreamViewsAndLifecycleRules extends StreamFixture {

    StreamViewsAndLifecycleRules(RangeStreamContract contract) {
        super(contract);
    }

    @Test
    @DisplayName("R6 channel() honours SeekableByteChannel")
    final void channel() throws IOException {
        RangeClient c = client();
        RangeStream s = open(c);
        SeekableByteChannel ch = s.channel();
        assertThat(ch.position()).as("%s: initial position", label(c)).isZero();
        assertThat(ch.size()).as("%s: size", label(c)).isEqualTo(LENGTH);
        ByteBuffer dst = ByteBuffer.allocate(500);
        ch.position(20_000);
        int n = ch.read(dst);
        assertThat(java.util.Arrays.copyOf(dst.array(), n)).as("%s: read at 20000", label(c))
                .isEqualTo(expected(Range.of(20_000, 20_000 + n)));
        assertThat(ch.position()).as("%s: position after reading %d bytes", label(c), n).isEqualTo(20_000 + n);
        ch.position(LENGTH - 3);
        dst.clear();
        assertThat(ch.read(dst)).as("%s: read of the last 3 bytes", label(c)).isEqualTo(3);
        dst.clear();
        assertThat(ch.read(dst)).as("%s: read at the end", label(c)).isEqualTo(-1);
        ch.position(LENGTH + 100);
        assertThat(ch.read(ByteBuffer.allocate(5))).as("%s: read past the end", label(c)).isEqualTo(-1);
        assertThatThrownBy(() -> ch.position(-1)).as("%s: position(-1)", label(c))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ch.write(ByteBuffer.allocate(1))).as("%s: write", label(c))
                .isInstanceOf(NonWritableChannelException.class);
        assertThatThrownBy(() -> ch.truncate(1)).as("%s: truncate", label(c))
                .isInstanceOf(NonWritableChannelException.class);
        SeekableByteChannel other = s.channel();
        assertThat(other.position()).as("%s: a second channel has its own position", label(c)).isZero();
        ch.close();
        ch.close();
        assertThat(ch.isOpen()).as("%s: isOpen after close", label(c)).isFalse();
        assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1))).as("%s: read after close", label(c))
                .isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(ch::position).as("%s: position after close", label(c))
                .isInstanceOf(ClosedChannelException.class);
    }

    @Test
    @DisplayName("R7 inputStream() reads from start to end, honouring skip")
    final void inputStream() throws IOException {
        RangeClient c = client();
        RangeStream s = open(c);
        try (InputStream in = s.inputStream()) {
            assertThat(in.readNBytes(1000)).as("%s: first 1000 bytes", label(c)).isEqualTo(expected(Range.of(0, 1000)));
            assertThat(in.skip(10_000)).as("%s: skip(10000)", label(c)).isEqualTo(10_000);
            assertThat(in.read()).as("%s: read() at 11000", label(c)).isEqualTo(expected(Range.of(11_000, 11_001))[0] & 0xff);
            assertThat(in.available()).as("%s: available()", label(c)).isNotNegative();
            assertThat(in.readAllBytes()).as("%s: the rest", label(c)).isEqualTo(expected(Range.of(11_001, LENGTH)));
            assertThat(in.read()).as("%s: read() at the end", label(c)).isEqualTo(-1);
        }
    }

    @Test
    @DisplayName("R8 stats() counts requests, bytes fetched and bytes from the store truthfully")
    final void statsAreTruthful() throws IOException {
        RangeClient c = client();
        RangeStream s = open(c);
        s.read(Range.of(1000, 5000));
        s.read(Range.of(30_000, 31_000));
        RangeStream.Stats first = s.stats();
        assertThat(first.requests()).as("%s: requests counted vs the server's log", label(c))
                .isEqualTo(server().requests(PATH).size());
        assertThat(first.bytesFetched()).as("%s: bytes fetched vs bytes the server sent", label(c))
                .isEqualTo(server().bytesServed(PATH));
        s.read(Range.of(1500, 4500));
        RangeStream.Stats second = s.stats();
        assertThat(second.requests()).as("%s: re-reading held bytes sends no request", label(c))
                .isEqualTo(first.requests());
        assertThat(server().requests(PATH)).as("%s: server log after re-reading held bytes", label(c))
                .hasSize((int) first.requests());
        assertThat(second.bytesFromStore() - first.bytesFromStore()).as("%s: bytes from the store for a held"
                + " read of 3000 bytes", label(c)).isEqualTo(3000);
        assertThat(second.bytesFetched()).as("%s: bytes fetched after a held read", label(c))
                .isEqualTo(first.bytesFetched());
    }

    @Test
    @DisplayName("R9 an unexpected status is an HttpStatusException naming it; a 416 is RangeNotSatisfiableException")
    final void statuses() throws IOException {
        RangeClient c = client();
        try (RangeStream missing = c.open(server().uri("/tck/missing"))) {
            assertThatThrownBy(() -> missing.read(Range.of(0, 10))).as("%s: read of a missing resource", label(c))
                    .isInstanceOfSatisfying(HttpStatusException.class, e -> assertThat(e.status())
                            .as("%s: status of the exception", label(c)).isEqualTo(404));
        }
        server().fault(PATH, Fault.Status.of(403, 1));
        RangeStream s = open(c);
        assertThatThrownBy(() -> s.read(Range.of(0, 10))).as("%s: read answered 403", label(c))
                .isInstanceOfSatisfying(HttpStatusException.class, e -> assertThat(e.status())
                        .as("%s: status of the exception", label(c)).isEqualTo(403));
        server().clearFaults(PATH);
        server().fault(PATH, Fault.Status.of(416, 1));
        assertThatThrownBy(() -> s.read(Range.of(0, 10))).as("%s: read answered 416", label(c))
                .isInstanceOf(RangeNotSatisfiableException.class);
    }

    @Test
    @DisplayName("R11 close is idempotent, leaves held bytes in the store, and reads after close throw IllegalStateException")
    final void closeIsIdempotent() throws IOException {
        RangeClient c = client();
        RangeStream s = c.open(uri());
        s.read(Range.of(0, 100));
        s.close();
        s.close();
        assertThatThrownBy(() -> s.read(Range.of(0, 10))).as("%s: read after close", label(c))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.fetch(Range.of(0, 10))).as("%s: fetch after close", label(c))
                .isInstanceOf(IllegalStateException.class);
        try (RangeStream again = c.open(uri())) {
            assertThat(again.ranges().encloses(Range.of(0, 100))).as("%s: bytes held after close", label(c)).isTrue();
        }
    }
}
