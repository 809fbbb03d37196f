/**
 * JMH benchmarks of the engine against {@link io.rangestreams.tck.RangeServer} on loopback:
 * sequential throughput, latency hiding, coalescing and warm-store reads. Each takes the transport
 * as a {@code @Param} ({@code -p transport=jdk,okhttp,apache}, whichever are on the class path) and
 * prints the requests and bytes it caused.
 */
package io.rangestreams.bench.engine;
