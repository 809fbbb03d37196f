/** Expiring signed URLs refreshed mid-stream, over every transport against {@code RangeServer}. */
package io.rangestreams.tck.signed;
