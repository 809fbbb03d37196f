package io.rangestreams.format;

/**
 * Unix permission bits written as {@code ls -l}, {@code tar tv} and {@code zipinfo} write them, e.g.
 * {@code -rw-r--r--} or {@code drwxr-sr-x}.
 *
 * <p>Stateless and thread-safe.
 */
public final class UnixMode {

    /** The file-type bits of a {@code st_mode}. */
    public static final int TYPE_MASK = 0170000;
    /** The type bits of a directory. */
    public static final int DIRECTORY = 0040000;
    /** The type bits of a symbolic link. */
    public static final int SYMLINK = 0120000;
    /** The type bits of a regular file. */
    public static final int REGULAR = 0100000;

    private UnixMode() {}

    /**
     * Ten characters: {@code type} then the nine permission characters of {@code mode}, with set-user-ID,
     * set-group-ID and sticky bits shown as {@code s}/{@code S} and {@code t}/{@code T}.
     *
     * @param type the first character, e.g. {@code -} file, {@code d} directory, {@code l} link
     * @param mode the mode; only its low twelve bits are read
     */
    public static String symbolic(char type, int mode) {
        char[] c = new char[10];
        c[0] = type;
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            c[1 + i] = (mode & (0400 >> i)) != 0 ? rwx.charAt(i) : '-';
        }
        special(c, 3, (mode & 04000) != 0, 's');
        special(c, 6, (mode & 02000) != 0, 's');
        special(c, 9, (mode & 01000) != 0, 't');
        return new String(c);
    }

    /** The {@code ls -l} type character for the type bits of {@code mode}, {@code ?} when there are none. */
    public static char typeChar(int mode) {
        return switch (mode & TYPE_MASK) {
            case REGULAR -> '-';
            case DIRECTORY -> 'd';
            case SYMLINK -> 'l';
            case 0020000 -> 'c';
            case 0060000 -> 'b';
            case 0010000 -> 'p';
            case 0140000 -> 's';
            default -> '?';
        };
    }

    private static void special(char[] c, int at, boolean set, char letter) {
        if (set) {
            c[at] = c[at] == '-' ? Character.toUpperCase(letter) : letter;
        }
    }
}
