package io.rangestreams.format.tar;

import java.time.Instant;
import java.util.Objects;

/**
 * One member of a tar archive.
 *
 * @param name the full path name (ustar prefix, GNU long name and pax {@code path} applied)
 * @param size the size of its data in bytes
 * @param headerOffset where its (first) header starts in the archive
 * @param dataOffset where its data starts in the archive
 * @param type what kind of member it is
 * @param mtime the modification time
 * @param linkName the target of a link, empty for other members
 */
public record TarMember(String name, long size, long headerOffset, long dataOffset, Type type, Instant mtime,
        String linkName) {

    /** The kinds of tar member. */
    public enum Type {
        /** A regular file. */
        FILE,
        /** A directory. */
        DIRECTORY,
        /** A symbolic link. */
        SYMLINK,
        /** A hard link to an earlier member. */
        HARDLINK,
        /** Anything else (devices, fifos, unknown type flags). */
        OTHER
    }

    /** Validates the member, naming the bad value. */
    public TarMember {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mtime, "mtime");
        Objects.requireNonNull(linkName, "linkName");
        if (size < 0 || headerOffset < 0 || dataOffset < headerOffset) {
            throw new IllegalArgumentException("invalid tar member " + name + ": size " + size + ", header at "
                    + headerOffset + ", data at " + dataOffset);
        }
    }

    /** Whether this member is a directory. */
    public boolean isDirectory() {
        return type == Type.DIRECTORY;
    }

    /** Whether this member is a regular file. */
    public boolean isRegularFile() {
        return type == Type.FILE;
    }
}
