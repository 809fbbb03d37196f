/**
 * Uncompressed tar archives over HTTP: {@link io.rangestreams.format.tar.TarStream} lists members
 * (ustar, GNU long names, pax headers) by reading only their headers and reads any member.
 */
package io.rangestreams.format.tar;
