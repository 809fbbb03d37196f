package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.Range;
import io.rangestreams.spi.FillingBody;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** T13: bodies the engine can fill a chunk of in one wait. */
abstract class TransportFillingBodiesRules extends TransportFixture {

    TransportFillingBodiesRules(RangeTransportContract contract) {
        super(contract);
    }

    /** The response's body as a {@link FillingBody}, or the rule is skipped. */
    private FillingBody filling(RangeResponse response, RangeTransport t) {
        Assumptions.assumeTrue(response.body() instanceof FillingBody,
                () -> "transport " + t.name() + " gives bodies that are not FillingBody");
        return (FillingBody) response.body();
    }

    @Test
    @DisplayName("T13 fill gives exactly the body's bytes, mixed with reads, then -1 at the end")
    final void fillGivesTheBodysBytes() throws IOException {
        RangeTransport t = transport();
        Range asked = Range.of(1000, LENGTH);
        try (RangeResponse response = t.send(RangeRequest.get(uri(), asked))) {
            FillingBody body = filling(response, t);
            InputStream in = response.body();
            byte[] got = new byte[(int) asked.length() + 10];
            int at = 0;
            assertThat(body.fill(got, at, 0)).as("%s: fill of 0 bytes", t.name()).isZero();
            at += body.fill(got, at, 7);
            at += in.read(got, at, 5);
            at += body.fill(got, at, 40_000);
            at += in.readNBytes(got, at, 1000);
            int last = body.fill(got, at, got.length - at); // more than is left: stops at the end
            assertThat(at + last).as("%s: bytes of %s read by fill and read", t.name(), asked)
                    .isEqualTo((int) asked.length());
            assertThat(Arrays.copyOf(got, at + last)).as("%s: body of %s read by fill and read", t.name(), asked)
                    .isEqualTo(expected(asked));
            assertThat(body.fill(got, 0, 10)).as("%s: fill at the end of the body", t.name()).isEqualTo(-1);
        }
    }

    @Test
    @DisplayName("T13 a body reset mid-way: fill returns the bytes before the reset, the next fill throws")
    final void resetBodyGivesItsBytesThenThrows() throws IOException {
        server().fault(PATH, new Fault.ResetConnection(1500, 1));
        RangeTransport t = transport();
        try (RangeResponse response = t.send(RangeRequest.get(uri(), Range.of(0, 8000)))) {
            FillingBody body = filling(response, t);
            byte[] got = new byte[8000];
            int n = body.fill(got, 0, got.length);
            assertThat(Arrays.copyOf(got, n)).as("%s: what fill returned of a body reset after 1500 bytes", t.name())
                    .isEqualTo(expected(Range.of(0, 1500)));
            assertThatThrownBy(() -> body.fill(got, n, got.length - n))
                    .as("%s: fill after the bytes before the reset", t.name()).isInstanceOf(IOException.class);
        }
    }

    @Test
    @DisplayName("T13 a body stalled past the read timeout: fill returns the bytes before the stall, the next fill throws")
    final void stalledBodyGivesItsBytesThenThrows() throws Exception {
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server().fault(PATH, new Fault.Gate(1000, reached, release));
        RangeTransport t = transport(defaultOptions().withReadTimeout(Duration.ofMillis(300)));
        try (RangeResponse response = t.send(RangeRequest.get(uri(), Range.of(0, 50_000)))) {
            FillingBody body = filling(response, t);
            byte[] got = new byte[50_000];
            int n = Deadline.within(Duration.ofMinutes(2), t.name() + ": fill of a body that stalls after 1000"
                    + " bytes, read timeout 300 ms", () -> body.fill(got, 0, got.length));
            assertThat(Arrays.copyOf(got, n)).as("%s: what fill returned of a body stalled after 1000 bytes", t.name())
                    .isEqualTo(expected(Range.of(0, 1000)));
            Throwable thrown = Deadline.ioFailureWithin(Duration.ofMinutes(2), t.name() + ": fill after the stall",
                    () -> body.fill(got, n, got.length - n));
            assertThat(thrown).as("%s: fill after the bytes before a stall longer than the read timeout", t.name())
                    .isInstanceOf(IOException.class);
        } finally {
            release.countDown();
        }
    }
}
