package io.rangestreams.spi;

/**
 * Creates {@link RangeTransport}s; found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/io.rangestreams.spi.RangeTransportProvider}.
 *
 * <p>A provider is a light factory: it has a public no-argument constructor and does no I/O until
 * {@link #create} is called. It is thread-safe.
 */
public interface RangeTransportProvider {

    /** The name users select the transport by: {@code jdk}, {@code okhttp}, {@code apache}. */
    String name();

    /** A new transport configured with the options; the caller closes it. */
    RangeTransport create(TransportOptions options);
}
