package io.rangestreams.transport.apache;

import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.RangeTransportProvider;
import io.rangestreams.spi.TransportOptions;

/** Provides the {@code apache} transport, over Apache HttpClient 5 (classic API). */
public final class ApacheRangeTransportProvider implements RangeTransportProvider {

    /** Required by {@link java.util.ServiceLoader}. */
    public ApacheRangeTransportProvider() {}

    @Override
    public String name() {
        return "apache";
    }

    @Override
    public RangeTransport create(TransportOptions options) {
        return new ApacheRangeTransport(options);
    }
}
