/**
 * {@link io.rangestreams.Batch} over every bundled transport against {@link io.rangestreams.tck.RangeServer}:
 * outcomes, isolated failures, cancellation, the limits counted on the server side, progress events.
 */
package io.rangestreams.tck.batch;
