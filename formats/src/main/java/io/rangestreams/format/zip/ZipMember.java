package io.rangestreams.format.zip;

import java.time.LocalDateTime;
import java.util.Objects;

/**
 * One entry of a zip archive's central directory.
 *
 * @param name the entry's name, as stored ({@code /}-separated; directories end with {@code /})
 * @param compressedSize the size of its stored data
 * @param size its size once decompressed
 * @param method the compression method: 0 stored, 8 deflate (also read: 9 deflate64, 12 bzip2, 93 zstd)
 * @param crc the CRC-32 of its decompressed bytes
 * @param localHeaderOffset where its local header starts; its data follows that header
 * @param modified the modification time (DOS time, local time without a zone)
 * @param encrypted whether the entry is encrypted (it cannot be read then)
 */
public record ZipMember(String name, long compressedSize, long size, int method, long crc, long localHeaderOffset,
        LocalDateTime modified, boolean encrypted) {

    /** Validates the entry, naming the bad value. */
    public ZipMember {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(modified, "modified");
        if (compressedSize < 0 || size < 0 || localHeaderOffset < 0) {
            throw new IllegalArgumentException("invalid zip entry " + name + ": compressed size " + compressedSize
                    + ", size " + size + ", local header at " + localHeaderOffset);
        }
    }

    /** Whether the entry is a directory (its name ends with {@code /}). */
    public boolean isDirectory() {
        return name.endsWith("/");
    }
}
