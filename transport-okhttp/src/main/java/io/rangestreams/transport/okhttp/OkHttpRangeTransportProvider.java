package io.rangestreams.transport.okhttp;

import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.RangeTransportProvider;
import io.rangestreams.spi.TransportOptions;

/** Provides the {@code okhttp} transport, over OkHttp 5. */
public final class OkHttpRangeTransportProvider implements RangeTransportProvider {

    /** Required by {@link java.util.ServiceLoader}. */
    public OkHttpRangeTransportProvider() {}

    @Override
    public String name() {
        return "okhttp";
    }

    @Override
    public RangeTransport create(TransportOptions options) {
        return new OkHttpRangeTransport(options);
    }
}
