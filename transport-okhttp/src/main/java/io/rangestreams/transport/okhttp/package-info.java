/**
 * The {@code okhttp} transport: {@link io.rangestreams.transport.okhttp.OkHttpRangeTransport} over OkHttp 5,
 * registered as the {@code okhttp} {@link io.rangestreams.spi.RangeTransportProvider}.
 */
package io.rangestreams.transport.okhttp;
