/**
 * End-to-end tests of the engine's planning against {@link io.rangestreams.tck.RangeServer}: they
 * count requests and bytes on the server side, never time.
 */
package io.rangestreams.tck.perf;
