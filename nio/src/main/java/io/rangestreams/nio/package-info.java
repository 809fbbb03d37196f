/**
 * A {@link java.nio.file.spi.FileSystemProvider} for {@code http} and {@code https} URIs: with this
 * module on the class path, {@code Path.of(URI.create("https://example.org/a.zip"))} is a read-only
 * path whose bytes are fetched with range requests, so {@code Files.size}, {@code Files.newByteChannel},
 * {@code Files.newInputStream}, {@code Files.readAttributes} and the JDK zip file system work on it.
 */
package io.rangestreams.nio;
