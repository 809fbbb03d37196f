/**
 * What backends implement: {@link io.rangestreams.spi.RangeTransport} (one HTTP request),
 * {@link io.rangestreams.spi.RangeStore} (held bytes) and {@link io.rangestreams.spi.RangeStreamProvider}
 * (format-aware streams), each created by a provider found with {@link java.util.ServiceLoader}.
 *
 * <p>The javadoc of each interface numbers its rules (T1.., S1.., R1..); the {@code range-streams-tck}
 * contracts test each rule by its number.
 */
package io.rangestreams.spi;
