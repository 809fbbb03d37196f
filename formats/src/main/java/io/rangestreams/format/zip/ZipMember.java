package io.rangestreams.format.zip;

import io.rangestreams.format.UnixMode;
import java.time.LocalDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One entry of a zip archive's central directory: what {@code unzip -l} and {@code zipinfo} show of it,
 * and where its data lies.
 *
 * @param name the entry's name, as stored ({@code /}-separated; directories end with {@code /})
 * @param compressedSize the size of its stored data
 * @param size its size once decompressed
 * @param method the compression method: 0 stored, 8 deflate (also read: 9 deflate64, 12 bzip2, 93 zstd)
 * @param crc the CRC-32 of its decompressed bytes
 * @param localHeaderOffset where its local header starts; its data follows that header
 * @param modified the modification time (DOS time, local time without a zone)
 * @param encrypted whether the entry is encrypted (it cannot be read then)
 * @param versionMadeBy the "version made by" field: the high byte names the host system (0 MS-DOS, 3
 *     Unix, ...), the low byte the zip specification version times ten
 * @param externalAttributes the external file attributes: for a Unix host, the {@code st_mode} in the high
 *     16 bits; MS-DOS attribute bits in the low byte
 */
public record ZipMember(String name, long compressedSize, long size, int method, long crc, long localHeaderOffset,
        LocalDateTime modified, boolean encrypted, int versionMadeBy, long externalAttributes) {

    /** The host system number of Unix in {@link #versionMadeBy()}. */
    public static final int HOST_UNIX = 3;
    private static final int DOS_DIRECTORY = 0x10;

    /** Validates the entry, naming the bad value. */
    public ZipMember {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(modified, "modified");
        if (compressedSize < 0 || size < 0 || localHeaderOffset < 0) {
            throw new IllegalArgumentException("invalid zip entry " + name + ": compressed size " + compressedSize
                    + ", size " + size + ", local header at " + localHeaderOffset);
        }
        if (versionMadeBy < 0 || versionMadeBy > 0xffff || externalAttributes < 0 || externalAttributes > 0xffffffffL) {
            throw new IllegalArgumentException("invalid zip entry " + name + ": version made by " + versionMadeBy
                    + ", external attributes " + externalAttributes);
        }
    }

    /** The host system that wrote the entry, from {@link #versionMadeBy()}: 0 MS-DOS, 3 Unix, 19 OS X... */
    public int host() {
        return versionMadeBy >> 8;
    }

    /** The Unix {@code st_mode} (type and permission bits), present when a Unix host wrote the entry with one. */
    public OptionalInt unixMode() {
        int mode = (int) (externalAttributes >>> 16);
        return host() == HOST_UNIX && mode != 0 ? OptionalInt.of(mode) : OptionalInt.empty();
    }

    /** Whether the entry is a directory: its name ends with {@code /}, or its attributes say so. */
    public boolean isDirectory() {
        OptionalInt mode = unixMode();
        return name.endsWith("/") || mode.isPresent() && (mode.getAsInt() & UnixMode.TYPE_MASK) == UnixMode.DIRECTORY
                || (externalAttributes & DOS_DIRECTORY) != 0 && host() != HOST_UNIX;
    }

    /**
     * Whether the entry is a symbolic link (its Unix mode says so); its data is then the link's target, which
     * {@link ZipStream#linkTarget(String)} reads.
     */
    public boolean isSymbolicLink() {
        OptionalInt mode = unixMode();
        return mode.isPresent() && (mode.getAsInt() & UnixMode.TYPE_MASK) == UnixMode.SYMLINK;
    }

    /**
     * Type and permissions as {@code zipinfo} writes them for a Unix entry, e.g. {@code -rw-r--r--} or
     * {@code lrwxrwxrwx}; empty when the entry carries no Unix mode.
     */
    public Optional<String> permissions() {
        OptionalInt mode = unixMode();
        if (mode.isEmpty()) {
            return Optional.empty();
        }
        int m = mode.getAsInt();
        char type = (m & UnixMode.TYPE_MASK) == 0 ? (isDirectory() ? 'd' : '-') : UnixMode.typeChar(m);
        return Optional.of(UnixMode.symbolic(type, m));
    }
}
