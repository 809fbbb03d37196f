/** Benchmarks and the peer comparison workloads of range-streams; see the engine package for JMH. */
package io.rangestreams.bench;
