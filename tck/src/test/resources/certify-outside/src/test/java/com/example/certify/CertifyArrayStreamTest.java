package com.example.certify;

import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.tck.RangeStreamContract;
import java.nio.file.Path;

class CertifyArrayStreamTest extends RangeStreamContract {
    @Override protected RangeTransport newTransport() { return new LoggingTransport(TransportOptions.defaults()); }
    @Override protected RangeStore newStore(Path dir) { return new ArrayRangeStore(); }
}
