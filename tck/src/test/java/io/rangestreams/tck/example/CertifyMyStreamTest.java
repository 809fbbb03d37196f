package io.rangestreams.tck.example;

import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.storage.memory.MemoryRangeStore;
import io.rangestreams.tck.RangeStreamContract;
import io.rangestreams.transport.jdk.JdkRangeTransport;
import java.nio.file.Path;

/** What a third party writes to certify a transport and store working together through the engine. */
class CertifyMyStreamTest extends RangeStreamContract {
    @Override
    protected RangeTransport newTransport() {
        return new JdkRangeTransport(TransportOptions.defaults());
    }

    @Override
    protected RangeStore newStore(Path dir) {
        return new MemoryRangeStore();
    }
}
