/**
 * The technology compatibility kit: {@link io.rangestreams.tck.RangeTransportContract},
 * {@link io.rangestreams.tck.RangeStoreContract} and {@link io.rangestreams.tck.RangeStreamContract}
 * (JUnit 5 classes a backend's tests extend, one per rule set of the SPI javadoc), and
 * {@link io.rangestreams.tck.RangeServer}, a loopback HTTP server with injectable
 * {@link io.rangestreams.tck.Fault}s.
 */
package io.rangestreams.tck;
