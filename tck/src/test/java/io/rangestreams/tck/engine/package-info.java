/**
 * The engine's requests and bytes, seen from {@code RangeServer}: how reads are planned, coalesced,
 * streamed, resumed and shared, over the bundled transports.
 */
package io.rangestreams.tck.engine;
