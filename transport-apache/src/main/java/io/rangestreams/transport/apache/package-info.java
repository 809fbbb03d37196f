/**
 * The {@code apache} transport: {@link io.rangestreams.transport.apache.ApacheRangeTransport} over Apache
 * HttpClient 5 (classic API), registered as the {@code apache} {@link io.rangestreams.spi.RangeTransportProvider}.
 */
package io.rangestreams.transport.apache;
