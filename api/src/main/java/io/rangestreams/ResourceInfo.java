package io.rangestreams;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known of a remote resource after the first response.
 *
 * @param uri the URI that answered, after redirects
 * @param length the complete length in bytes
 * @param etag the entity tag, if the server sent one
 * @param lastModified the {@code Last-Modified} value, if the server sent one
 * @param contentType the {@code Content-Type}, if the server sent one
 * @param rangesHonoured whether the server answers range requests with {@code 206}; when it does not,
 *     the stream serves reads from one streamed full download
 * @param protocol the protocol of the response it was learnt from ({@code HTTP/1.1}, {@code HTTP/2}), if
 *     known
 */
public record ResourceInfo(URI uri, long length, Optional<String> etag, Optional<String> lastModified,
        Optional<String> contentType, boolean rangesHonoured, Optional<String> protocol) {

    /** What is known, without the protocol. */
    public ResourceInfo(URI uri, long length, Optional<String> etag, Optional<String> lastModified,
            Optional<String> contentType, boolean rangesHonoured) {
        this(uri, length, etag, lastModified, contentType, rangesHonoured, Optional.empty());
    }

    /** Validates the record. */
    public ResourceInfo {
        Objects.requireNonNull(uri, "uri");
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative, was " + length);
        }
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(protocol, "protocol");
    }
}
