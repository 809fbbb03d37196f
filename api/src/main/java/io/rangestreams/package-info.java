/**
 * Random access to remote files over HTTP range requests.
 *
 * <p>Start with {@link io.rangestreams.RangeClient}: it opens a {@link io.rangestreams.RangeStream} per
 * URL, whose reads fetch only the byte ranges not yet held in the client's store. {@link
 * io.rangestreams.Range} and {@link io.rangestreams.RangeSet} describe bytes; {@link
 * io.rangestreams.StreamBuffer} makes any one-way stream seekable.
 */
package io.rangestreams;
