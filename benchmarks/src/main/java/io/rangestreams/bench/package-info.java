/**
 * Benchmarks of range-streams: JMH in the engine, store and transport packages. The peer comparison
 * ({@code benchmarks/peer-compare.sh}) runs the command line instead.
 */
package io.rangestreams.bench;
