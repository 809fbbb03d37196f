package io.rangestreams.format.tar;

import io.rangestreams.format.UnixMode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One member of a tar archive: what {@code tar tv} shows of it, and where its data lies.
 *
 * @param name the full path name (ustar prefix, GNU long name and pax {@code path} applied)
 * @param size the size of its data in bytes, as its header declares it
 * @param headerOffset where its (first) header starts in the archive
 * @param dataOffset where its data starts in the archive
 * @param type what kind of member it is
 * @param mtime the modification time
 * @param linkName the target of a symbolic or hard link, empty for other members
 * @param mode the permission bits (0 to 07777)
 * @param uid the owner's user id
 * @param gid the owner's group id
 * @param userName the owner's user name, empty when the header has none
 * @param groupName the owner's group name, empty when the header has none
 */
public record TarMember(String name, long size, long headerOffset, long dataOffset, Type type, Instant mtime,
        String linkName, int mode, long uid, long gid, String userName, String groupName) {

    /** The kinds of tar member, from the header's type flag. */
    public enum Type {
        /** A regular file (flags {@code 0}, NUL and {@code 7}). */
        FILE('-'),
        /** A directory (flag {@code 5}, or a regular-file flag with a name ending in {@code /}). */
        DIRECTORY('d'),
        /** A symbolic link (flag {@code 2}); {@link TarMember#linkName()} is its target. */
        SYMLINK('l'),
        /** A hard link to an earlier member (flag {@code 1}); {@link TarMember#linkName()} names it. */
        HARDLINK('h'),
        /** A character device (flag {@code 3}). */
        CHARACTER_DEVICE('c'),
        /** A block device (flag {@code 4}). */
        BLOCK_DEVICE('b'),
        /** A named pipe (flag {@code 6}). */
        FIFO('p'),
        /** Any other type flag. */
        OTHER('?');

        private final char symbol;

        Type(char symbol) {
            this.symbol = symbol;
        }

        /** The first character {@code tar tv} shows for it ({@code h} for a hard link, as GNU tar does). */
        public char symbol() {
            return symbol;
        }
    }

    /** Validates the member, naming the bad value. */
    public TarMember {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mtime, "mtime");
        Objects.requireNonNull(linkName, "linkName");
        Objects.requireNonNull(userName, "userName");
        Objects.requireNonNull(groupName, "groupName");
        if (size < 0 || headerOffset < 0 || dataOffset < headerOffset) {
            throw new IllegalArgumentException("invalid tar member " + name + ": size " + size + ", header at "
                    + headerOffset + ", data at " + dataOffset);
        }
        if (mode < 0 || mode > 07777 || uid < 0 || gid < 0) {
            throw new IllegalArgumentException("invalid tar member " + name + ": mode " + Integer.toOctalString(mode)
                    + ", uid " + uid + ", gid " + gid);
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

    /** Whether this member is a symbolic or a hard link. */
    public boolean isLink() {
        return type == Type.SYMLINK || type == Type.HARDLINK;
    }

    /** What a symbolic or hard link points to; empty for other members. */
    public Optional<String> linkTarget() {
        return isLink() ? Optional.of(linkName) : Optional.empty();
    }

    /** Type and permissions as {@code tar tv} writes them, e.g. {@code -rw-r--r--} or {@code lrwxrwxrwx}. */
    public String permissions() {
        return UnixMode.symbolic(type.symbol(), mode);
    }

    /**
     * The owner as {@code tar tv} writes it: {@code user/group}, each name falling back to its number when
     * the header has no name.
     */
    public String owner() {
        return (userName.isEmpty() ? Long.toString(uid) : userName) + "/"
                + (groupName.isEmpty() ? Long.toString(gid) : groupName);
    }
}
