/**
 * Conda packages ({@code .conda}) over HTTP: {@link io.rangestreams.format.conda.CondaStream} reads
 * {@code metadata.json} and the files of the {@code info-*.tar.zst} member, fetching only those
 * members, never the {@code pkg-*.tar.zst} payload.
 */
package io.rangestreams.format.conda;
