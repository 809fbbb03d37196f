package io.rangestreams.transport.jdk;

import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.RangeTransportProvider;
import io.rangestreams.spi.TransportOptions;

/** Provides the {@code jdk} transport, over {@link java.net.http.HttpClient}. */
public final class JdkRangeTransportProvider implements RangeTransportProvider {

    /** Required by {@link java.util.ServiceLoader}. */
    public JdkRangeTransportProvider() {}

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public RangeTransport create(TransportOptions options) {
        return new JdkRangeTransport(options);
    }
}
