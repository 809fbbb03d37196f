package io.rangestreams.tck;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** A resource {@link RangeServer} serves: its length, its current version and its content at any offset. */
class ServedResource {

    private static final Instant BASE_TIME = Instant.parse("2024-01-01T00:00:00Z");

    final long length;
    private final byte[] fixed; // null for generated content
    private final long seed;
    private int version = 1;
    private int changeAfter = -1; // requests until the next version, -1 for never

    ServedResource(long length, byte[] fixed, long seed) {
        this.length = length;
        this.fixed = fixed;
        this.seed = seed;
    }

    synchronized String etag(String path) {
        return "\"" + Integer.toHexString(path.hashCode()) + "-" + length + "-v" + version + "\"";
    }

    synchronized String lastModified() {
        return DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC)
                .format(BASE_TIME.plusSeconds(3600L * version));
    }

    synchronized int version() {
        return version;
    }

    /** Moves to the next version: new bytes and validators. */
    synchronized void change() {
        version++;
    }

    /** Moves to the next version once {@code requests} more requests have been answered. */
    synchronized void changeAfter(int requests) {
        changeAfter = requests;
    }

    /** Counts one request towards a scheduled change; returns the version to answer it with. */
    synchronized int advance() {
        if (changeAfter == 0) {
            version++;
            changeAfter = -1;
        } else if (changeAfter > 0) {
            changeAfter--;
        }
        return version;
    }

    /** Another length of the same generated content, announced under this resource's validators. */
    ServedResource withLength(long newLength) {
        ServedResource asIs = this;
        return new ServedResource(newLength, null, seed) {
            @Override
            synchronized String etag(String p) {
                return asIs.etag(p);
            }

            @Override
            synchronized String lastModified() {
                return asIs.lastModified();
            }
        };
    }

    void fill(int version, long offset, byte[] buf, int len) {
        if (fixed != null) {
            System.arraycopy(fixed, (int) offset, buf, 0, len);
            if (version > 1) {
                for (int i = 0; i < len; i++) {
                    buf[i] ^= (byte) (version * 0x5b);
                }
            }
            return;
        }
        GeneratedContent.fill(seed + version * 7919L, offset, buf, len);
    }
}
