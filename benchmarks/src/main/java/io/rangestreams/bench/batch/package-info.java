/** Many URLs at once: a {@link io.rangestreams.Batch} against the same work done one URL at a time. */
package io.rangestreams.bench.batch;
