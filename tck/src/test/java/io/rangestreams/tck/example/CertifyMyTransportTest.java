package io.rangestreams.tck.example;

import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.tck.RangeTransportContract;
import io.rangestreams.transport.jdk.JdkRangeTransport;

/** What a third party writes to certify a transport: the three-line subclass of the README. */
class CertifyMyTransportTest extends RangeTransportContract {
    @Override
    protected RangeTransport newTransport() {
        return new JdkRangeTransport(TransportOptions.defaults());
    }
}
