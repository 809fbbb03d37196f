package io.rangestreams.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * Which version of a remote resource some bytes belong to: its length and validators. Bytes of two
 * versions are never mixed; {@link #isSameVersion} decides whether two are the same.
 *
 * @param length the complete length in bytes
 * @param etag the entity tag as sent, quotes included ({@code "abc"} or {@code W/"abc"}), if any
 * @param lastModified the {@code Last-Modified} value as sent, if any
 */
public record ResourceVersion(long length, Optional<String> etag, Optional<String> lastModified) {

    /** Validates the version. */
    public ResourceVersion {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative, was " + length);
        }
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(lastModified, "lastModified");
        etag = etag.filter(s -> !s.isBlank());
        lastModified = lastModified.filter(s -> !s.isBlank());
    }

    /** The strong entity tag, if the server sent one ({@code W/} tags cannot validate ranges). */
    public Optional<String> strongEtag() {
        return etag.filter(e -> !e.startsWith("W/"));
    }

    /**
     * The validator to send in {@code If-Range}: the strong ETag, else {@code Last-Modified}.
     */
    public Optional<String> ifRangeValidator() {
        return strongEtag().or(this::lastModified);
    }

    /**
     * Whether {@code other} is the same version: equal lengths and, when both have one, equal strong
     * ETags; else, when both have one, equal {@code Last-Modified}.
     */
    public boolean isSameVersion(ResourceVersion other) {
        if (length != other.length) {
            return false;
        }
        if (strongEtag().isPresent() && other.strongEtag().isPresent()) {
            return strongEtag().equals(other.strongEtag());
        }
        if (etag.isPresent() && other.etag.isPresent() && !etag.equals(other.etag)) {
            return false;
        }
        if (lastModified.isPresent() && other.lastModified.isPresent()) {
            return lastModified.equals(other.lastModified);
        }
        return true;
    }

    @Override
    public String toString() {
        return "version{length=" + length + etag.map(e -> ", etag=" + e).orElse("")
                + lastModified.map(m -> ", lastModified=" + m).orElse("") + "}";
    }
}
