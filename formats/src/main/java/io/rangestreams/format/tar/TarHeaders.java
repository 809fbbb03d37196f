package io.rangestreams.format.tar;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Walks the headers of a tar archive one member at a time: ustar and GNU headers, the ustar prefix, GNU
 * long names and links ({@code L}/{@code K}), pax extended headers ({@code x}, and {@code g} for global
 * defaults). Reads only the headers and the extended-header data, never a member's data, and always at
 * increasing positions, so a forward-only source (a decompressing stream) works as well as ranges.
 *
 * <p>Not thread-safe: one walk, one caller.
 */
final class TarHeaders {

    /** Where the headers come from. */
    interface Source {
        /** {@code size} bytes at {@code position}, fewer only at the end. */
        byte[] read(long position, int size) throws IOException;

        /** The archive's length, or -1 when it is not known; asked only after a read. */
        default long length() throws IOException {
            return -1;
        }
    }

    static final int BLOCK = 512;
    private static final int MAX_EXTENDED = 16 * 1024 * 1024;

    private final Source source;
    private final String what;
    private final Map<String, String> global = new HashMap<>();
    private long position;
    private int count;
    private boolean ended;

    /**
     * A walk from the start of the archive.
     *
     * @param what names the archive in error messages
     */
    TarHeaders(Source source, String what) {
        this.source = source;
        this.what = what;
    }

    /** The next member, or empty at the end of the archive. */
    Optional<TarMember> next() throws IOException {
        Map<String, String> pax = new HashMap<>();
        String longName = null;
        String longLink = null;
        long memberStart = -1;
        while (!ended) {
            byte[] h = source.read(position, BLOCK);
            if (h.length < BLOCK) {
                if (h.length == 0 && count > 0 && memberStart < 0) {
                    break; // no end-of-archive blocks, as some writers do
                }
                throw new IOException(what + " is not a complete tar archive: " + (h.length == 0 ? "no" : "a short")
                        + " header at offset " + position);
            }
            if (isZero(h)) {
                break;
            }
            checkChecksum(h, position);
            if (memberStart < 0) {
                memberStart = position;
            }
            char flag = (char) (h[156] & 0xff);
            long size = number(h, 124, 12, position, "size");
            long dataOffset = position + BLOCK;
            switch (flag) {
                case 'L', 'K' -> {
                    String value = cString(extended(dataOffset, size), 0, (int) size);
                    if (flag == 'L') {
                        longName = value;
                    } else {
                        longLink = value;
                    }
                }
                case 'x' -> pax.putAll(parsePax(extended(dataOffset, size), dataOffset, what));
                case 'g' -> global.putAll(parsePax(extended(dataOffset, size), dataOffset, what));
                default -> {
                    TarMember m = member(h, flag, memberStart, dataOffset, size, pax, longName, longLink);
                    position = next(m.name(), dataOffset, m.size());
                    count++;
                    return Optional.of(m);
                }
            }
            position = next(flag + " header", dataOffset, size);
        }
        ended = true;
        return Optional.empty();
    }

    private TarMember member(byte[] h, char flag, long memberStart, long dataOffset, long headerSize,
            Map<String, String> pax, String longName, String longLink) throws IOException {
        Map<String, String> attrs = new HashMap<>(global);
        attrs.putAll(pax);
        String name = cString(h, 0, 100);
        // POSIX ustar has "ustar\0", GNU "ustar "; both carry owner names, only POSIX a name prefix.
        boolean ustar = cString(h, 257, 5).equals("ustar");
        if (ustar && h[262] == 0) {
            String prefix = cString(h, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
        }
        if (longName != null) {
            name = longName;
        }
        name = attrs.getOrDefault("path", name);
        String link = attrs.getOrDefault("linkpath", longLink != null ? longLink : cString(h, 157, 100));
        long size = attrs.containsKey("size") ? parseLong(attrs.get("size"), "pax size") : headerSize;
        Instant mtime = attrs.containsKey("mtime") ? paxTime(attrs.get("mtime"))
                : Instant.ofEpochSecond(number(h, 136, 12, position, "mtime"));
        int mode = (int) (number(h, 100, 8, position, "mode") & 07777);
        long uid = attrs.containsKey("uid") ? parseLong(attrs.get("uid"), "pax uid") : number(h, 108, 8, position, "uid");
        long gid = attrs.containsKey("gid") ? parseLong(attrs.get("gid"), "pax gid") : number(h, 116, 8, position, "gid");
        String userName = attrs.getOrDefault("uname", ustar ? cString(h, 265, 32) : "");
        String groupName = attrs.getOrDefault("gname", ustar ? cString(h, 297, 32) : "");
        TarMember.Type type = typeOf(flag, name);
        try {
            return new TarMember(name, size, memberStart, dataOffset, type, mtime,
                    type == TarMember.Type.HARDLINK || type == TarMember.Type.SYMLINK ? link : "", mode, uid, gid,
                    userName, groupName);
        } catch (IllegalArgumentException e) {
            throw new IOException(what + ": " + e.getMessage(), e);
        }
    }

    /** Where the header after {@code size} bytes of data at {@code dataOffset} lies, checked against the length. */
    private long next(String member, long dataOffset, long size) throws IOException {
        long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
        long length = source.length();
        if (padded < 0 || padded > Long.MAX_VALUE - dataOffset || length >= 0 && dataOffset + size > length) {
            throw new IOException(what + ": member " + member + " (header at offset " + position + ") declares a size of "
                    + size + " bytes, which runs past the end of the archive"
                    + (length >= 0 ? " (" + length + " bytes)" : ""));
        }
        return dataOffset + padded;
    }

    private static TarMember.Type typeOf(char flag, String name) {
        return switch (flag) {
            case '0', '\0', '7' -> name.endsWith("/") ? TarMember.Type.DIRECTORY : TarMember.Type.FILE;
            case '5' -> TarMember.Type.DIRECTORY;
            case '2' -> TarMember.Type.SYMLINK;
            case '1' -> TarMember.Type.HARDLINK;
            case '3' -> TarMember.Type.CHARACTER_DEVICE;
            case '4' -> TarMember.Type.BLOCK_DEVICE;
            case '6' -> TarMember.Type.FIFO;
            default -> TarMember.Type.OTHER;
        };
    }

    private byte[] extended(long offset, long size) throws IOException {
        if (size > MAX_EXTENDED) {
            throw new IOException(what + ": extended header at offset " + offset + " is " + size
                    + " bytes, more than the " + MAX_EXTENDED + " accepted");
        }
        byte[] data = source.read(offset, (int) size);
        if (data.length < size) {
            throw new IOException(what + ": extended header at offset " + offset + " is cut short");
        }
        return data;
    }

    /** Pax records: {@code "<length> <key>=<value>\n"}, the length counting the whole record. */
    static Map<String, String> parsePax(byte[] data, long offset, String what) throws IOException {
        Map<String, String> out = new HashMap<>();
        int i = 0;
        while (i < data.length && data[i] != 0) {
            int space = i;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int len;
            try {
                len = Integer.parseInt(new String(data, i, space - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new IOException(what + ": malformed pax record at offset " + (offset + i));
            }
            if (len <= space - i + 1 || i + len > data.length) {
                throw new IOException(what + ": pax record at offset " + (offset + i) + " has a bad length " + len);
            }
            String record = new String(data, space + 1, i + len - space - 2, StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            if (eq < 0) {
                throw new IOException(what + ": pax record at offset " + (offset + i) + " has no '='");
            }
            out.put(record.substring(0, eq), record.substring(eq + 1));
            i += len;
        }
        return out;
    }

    private Instant paxTime(String value) throws IOException {
        try {
            BigDecimal seconds = new BigDecimal(value);
            long whole = seconds.setScale(0, RoundingMode.FLOOR).longValueExact();
            long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
            return Instant.ofEpochSecond(whole, nanos);
        } catch (NumberFormatException | ArithmeticException | java.time.DateTimeException e) {
            throw new IOException(what + ": bad pax mtime '" + value + "' for the header at offset " + position);
        }
    }

    private long parseLong(String value, String field) throws IOException {
        try {
            long v = Long.parseLong(value.trim());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IOException(what + ": bad " + field + " '" + value + "' in the header at offset " + position);
        }
    }

    /** An octal field, or a base-256 one (high bit of the first byte set) as GNU tar writes big sizes. */
    private long number(byte[] h, int off, int len, long at, String field) throws IOException {
        if ((h[off] & 0x80) != 0) {
            long v = h[off] & 0x7f;
            for (int i = 1; i < len; i++) {
                if (v > (Long.MAX_VALUE >> 8)) {
                    throw new IOException(what + ": " + field + " too large in the header at offset " + at);
                }
                v = (v << 8) | (h[off + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        int i = off;
        int end = off + len;
        while (i < end && (h[i] == ' ' || h[i] == 0)) {
            i++;
        }
        for (; i < end && h[i] != 0 && h[i] != ' '; i++) {
            int d = h[i] - '0';
            if (d < 0 || d > 7) {
                throw new IOException(what + ": " + field + " field of the header at offset " + at
                        + " is not octal: '" + new String(h, off, len, StandardCharsets.US_ASCII).trim() + "'");
            }
            v = v * 8 + d;
        }
        return v;
    }

    private void checkChecksum(byte[] h, long at) throws IOException {
        long stored = number(h, 148, 8, at, "checksum");
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = i >= 148 && i < 156 ? ' ' : h[i];
            unsigned += b & 0xff;
            signed += b;
        }
        if (stored != unsigned && stored != signed) {
            throw new IOException(what + " is not a tar archive (or is damaged): header checksum at offset " + at
                    + " is " + stored + ", computed " + unsigned);
        }
    }

    private static boolean isZero(byte[] h) {
        for (byte b : h) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }
}
