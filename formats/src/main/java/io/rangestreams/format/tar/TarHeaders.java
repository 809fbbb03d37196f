package io.rangestreams.format.tar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks the headers of a tar archive: ustar and GNU headers, the ustar prefix, GNU long names and
 * links ({@code L}/{@code K}), pax extended headers ({@code x}, and {@code g} for global defaults).
 * Reads only the headers and the extended-header data, never a member's data.
 */
final class TarHeaders {

    /** Where the headers come from: {@code size} bytes at {@code position}, fewer only at the end. */
    interface Source {
        byte[] read(long position, int size) throws IOException;
    }

    private static final int BLOCK = 512;
    private static final int MAX_EXTENDED = 16 * 1024 * 1024;

    private TarHeaders() {}

    static List<TarMember> list(Source source, String what) throws IOException {
        List<TarMember> members = new ArrayList<>();
        Map<String, String> global = new HashMap<>();
        Map<String, String> pax = new HashMap<>();
        String longName = null;
        String longLink = null;
        long position = 0;
        long memberStart = -1;
        while (true) {
            byte[] h = source.read(position, BLOCK);
            if (h.length < BLOCK) {
                if (h.length == 0 && !members.isEmpty()) {
                    break; // no end-of-archive blocks, as some writers do
                }
                throw new IOException(what + " is not a complete tar archive: " + (h.length == 0 ? "no" : "a short")
                        + " header at offset " + position);
            }
            if (isZero(h)) {
                break;
            }
            checkChecksum(h, position, what);
            if (memberStart < 0) {
                memberStart = position;
            }
            char flag = (char) (h[156] & 0xff);
            long size = number(h, 124, 12, position, "size", what);
            long dataOffset = position + BLOCK;
            long next = dataOffset + (size + BLOCK - 1) / BLOCK * BLOCK;
            switch (flag) {
                case 'L', 'K' -> {
                    String value = cString(extended(source, dataOffset, size, what), 0, (int) size);
                    if (flag == 'L') {
                        longName = value;
                    } else {
                        longLink = value;
                    }
                }
                case 'x' -> pax.putAll(parsePax(extended(source, dataOffset, size, what), dataOffset, what));
                case 'g' -> global.putAll(parsePax(extended(source, dataOffset, size, what), dataOffset, what));
                default -> {
                    Map<String, String> attrs = new HashMap<>(global);
                    attrs.putAll(pax);
                    String name = cString(h, 0, 100);
                    boolean ustar = cString(h, 257, 6).equals("ustar") && h[262] == 0;
                    if (ustar) {
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
                    if (attrs.containsKey("size")) {
                        size = parseLong(attrs.get("size"), position, "pax size", what);
                        next = dataOffset + (size + BLOCK - 1) / BLOCK * BLOCK;
                    }
                    Instant mtime = attrs.containsKey("mtime") ? paxTime(attrs.get("mtime"), position, what)
                            : Instant.ofEpochSecond(number(h, 136, 12, position, "mtime", what));
                    TarMember.Type type = typeOf(flag, name);
                    members.add(new TarMember(name, size, memberStart, dataOffset, type, mtime,
                            type == TarMember.Type.HARDLINK || type == TarMember.Type.SYMLINK ? link : ""));
                    pax.clear();
                    longName = null;
                    longLink = null;
                    memberStart = -1;
                }
            }
            position = next;
        }
        return members;
    }

    private static TarMember.Type typeOf(char flag, String name) {
        return switch (flag) {
            case '0', '\0', '7' -> name.endsWith("/") ? TarMember.Type.DIRECTORY : TarMember.Type.FILE;
            case '5' -> TarMember.Type.DIRECTORY;
            case '2' -> TarMember.Type.SYMLINK;
            case '1' -> TarMember.Type.HARDLINK;
            default -> TarMember.Type.OTHER;
        };
    }

    private static byte[] extended(Source source, long offset, long size, String what) throws IOException {
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

    private static Instant paxTime(String value, long position, String what) throws IOException {
        try {
            java.math.BigDecimal seconds = new java.math.BigDecimal(value);
            long whole = seconds.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
            long nanos = seconds.subtract(java.math.BigDecimal.valueOf(whole)).movePointRight(9).longValue();
            return Instant.ofEpochSecond(whole, nanos);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IOException(what + ": bad pax mtime '" + value + "' for the header at offset " + position);
        }
    }

    private static long parseLong(String value, long position, String field, String what) throws IOException {
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
    private static long number(byte[] h, int off, int len, long position, String field, String what)
            throws IOException {
        if ((h[off] & 0x80) != 0) {
            long v = h[off] & 0x7f;
            for (int i = 1; i < len; i++) {
                if (v > (Long.MAX_VALUE >> 8)) {
                    throw new IOException(what + ": " + field + " too large in the header at offset " + position);
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
                throw new IOException(what + ": " + field + " field of the header at offset " + position
                        + " is not octal: '" + new String(h, off, len, StandardCharsets.US_ASCII).trim() + "'");
            }
            v = v * 8 + d;
        }
        return v;
    }

    private static void checkChecksum(byte[] h, long position, String what) throws IOException {
        long stored = number(h, 148, 8, position, "checksum", what);
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = i >= 148 && i < 156 ? ' ' : h[i];
            unsigned += b & 0xff;
            signed += b;
        }
        if (stored != unsigned && stored != signed) {
            throw new IOException(what + " is not a tar archive (or is damaged): header checksum at offset " + position
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
