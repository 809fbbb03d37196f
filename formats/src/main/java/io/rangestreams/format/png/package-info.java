/**
 * PNG images over HTTP: {@link io.rangestreams.format.png.PngStream} checks the signature, gives the
 * IHDR fields from the first request, lists chunks (reading only their headers), checks chunk CRCs on
 * demand and decodes the image with {@code javax.imageio}.
 */
package io.rangestreams.format.png;
