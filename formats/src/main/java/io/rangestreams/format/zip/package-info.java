/**
 * Zip archives over HTTP: {@link io.rangestreams.format.zip.ZipStream} lists entries from the central
 * directory (one suffix request when it lies in the last 64 KiB) and reads members with one range
 * each, checking their CRC. Zip64 and archive comments are supported.
 */
package io.rangestreams.format.zip;
