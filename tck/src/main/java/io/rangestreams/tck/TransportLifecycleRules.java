package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.Range;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeTransport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** T11: lifecycle. */
abstract class TransportLifecycleRules extends TransportFixture {

    TransportLifecycleRules(RangeTransportContract contract) {
        super(contract);
    }

    @Test
    @DisplayName("T11 close is idempotent and send after close throws IllegalStateException")
    final void closeIsIdempotent() {
        RangeTransport t = newTransport();
        t.close();
        t.close();
        assertThatThrownBy(() -> t.send(RangeRequest.get(uri(), Range.of(0, 10))))
                .as("%s: send after close", t.name()).isInstanceOf(IllegalStateException.class);
    }
}
