package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.spi.BodyReading;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** T12: how the transport's client reads bodies. */
abstract class TransportBodyReadingsRules extends TransportFixture {

    TransportBodyReadingsRules(RangeTransportContract contract) {
        super(contract);
    }

    @Test
    @DisplayName("T12 bodyReading() is stated")
    final void bodyReadingIsStated() {
        RangeTransport t = transport();
        assertThat(t.bodyReading()).as("%s: bodyReading()", t.name()).isNotNull();
    }

    @Test
    @DisplayName("T12 a body read on the caller's thread, begun on one thread, reads on exactly on another")
    final void bodyReadOnByAnotherThread() throws Exception {
        RangeTransport t = transport();
        Assumptions.assumeTrue(t.bodyReading() != null && t.bodyReading().reader() == BodyReading.Reader.CALLER,
                () -> "transport " + t.name() + " does not read bodies on the caller's thread (bodyReading)");
        // As the engine hands a stream over: its fetching thread reads the start, a reader the rest.
        Range asked = Range.of(0, LENGTH);
        ExecutorService fetching = Executors.newSingleThreadExecutor();
        try (RangeResponse response = t.send(RangeRequest.get(uri(), asked))) {
            InputStream in = response.body();
            byte[] start = fetching.submit(() -> in.readNBytes(LENGTH / 3)).get(2, TimeUnit.MINUTES);
            byte[] rest = in.readAllBytes();
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            whole.writeBytes(start);
            whole.writeBytes(rest);
            assertThat(whole.toByteArray()).as("%s: body of %s, its first third read on another thread", t.name(),
                    asked).isEqualTo(expected(asked));
        } finally {
            fetching.shutdownNow();
        }
    }
}
