/**
 * Tests of the three bundled transports ({@code jdk}, {@code okhttp}, {@code apache}) against
 * {@link io.rangestreams.tck.RangeServer}: exact bytes, identity encoding, redirects, timeouts, streaming,
 * connection reuse, the caller's own clients and selection by name.
 */
package io.rangestreams.tck.transport;
