/**
 * Uncompressed tar archives over HTTP: {@link io.rangestreams.format.tar.TarStream} lists members
 * (ustar, GNU long names, pax headers) by reading only their headers, and finds and reads one member
 * reading headers only as far as it.
 */
package io.rangestreams.format.tar;
