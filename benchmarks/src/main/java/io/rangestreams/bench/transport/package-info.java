/** JMH benchmarks of the three transports against the loopback {@link io.rangestreams.tck.RangeServer}. */
package io.rangestreams.bench.transport;
