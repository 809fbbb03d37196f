package io.rangestreams.format.zip;

import io.rangestreams.Range;
import io.rangestreams.RangeStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A zip archive's central directory, read from the end of the resource: the end record (and its zip64
 * form), then the directory itself. The first read is a suffix of 64 KiB, which holds the whole
 * directory of most archives; only a larger directory needs a second request.
 *
 * @param entries the entries in directory order
 * @param byName the entries by name (the last of duplicates)
 * @param comment the archive comment, if any
 * @param headerHints per entry name, the local header size the central record suggests
 */
record ZipDirectory(List<ZipMember> entries, Map<String, ZipMember> byName, Optional<String> comment,
        Map<String, Integer> headerHints) {

    static final int TAIL = 64 * 1024;
    private static final int EOCD = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_EOCD = 0x06064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int EOCD_SIZE = 22;
    private static final int MAX_COMMENT = 0xffff;
    private static final Charset CP437 = cp437();

    static ZipDirectory read(RangeStream stream) throws IOException {
        String what = stream.uri().toString();
        byte[] tail = stream.read(Range.suffix(TAIL));
        long length = stream.length();
        int at = findEnd(tail);
        if (at < 0 && length > tail.length) {
            // A comment longer than the first tail: look at the longest tail an end record allows.
            tail = stream.read(Range.suffix(Math.min(length, (long) EOCD_SIZE + MAX_COMMENT + 20)));
            at = findEnd(tail);
        }
        if (at < 0) {
            throw new IOException(what + " is not a zip archive: no end of central directory record in its last "
                    + tail.length + " bytes");
        }
        long tailStart = length - tail.length;
        long endOffset = tailStart + at;
        ByteBuffer end = le(tail, at, tail.length - at);
        long entries = u16(end, 10);
        long cdSize = u32(end, 12);
        long cdOffset = u32(end, 16);
        int commentLength = u16(end, 20);
        Optional<String> comment = commentLength == 0 ? Optional.empty()
                : Optional.of(text(tail, at + EOCD_SIZE, Math.min(commentLength, tail.length - at - EOCD_SIZE), false));
        long shift = 0;
        if (at >= 20 && le(tail, at - 20, 20).getInt(0) == ZIP64_LOCATOR) {
            long zip64Offset = le(tail, at - 20, 20).getLong(8);
            byte[] record = stream.read(Range.of(zip64Offset, zip64Offset + 56));
            ByteBuffer z = le(record, 0, 56);
            if (z.getInt(0) != ZIP64_EOCD) {
                throw new IOException(what + ": zip64 end record expected at offset " + zip64Offset + " is missing");
            }
            entries = z.getLong(32);
            cdSize = z.getLong(40);
            cdOffset = z.getLong(48);
        } else {
            // Data prepended to the archive (a self-extractor) shifts every offset by the same amount.
            shift = endOffset - (cdOffset + cdSize);
        }
        cdOffset += shift;
        if (cdOffset < 0 || cdSize < 0 || cdOffset + cdSize > endOffset || cdSize > Integer.MAX_VALUE - 8) {
            throw new IOException(what + ": central directory of " + cdSize + " bytes at offset " + cdOffset
                    + " does not fit before the end record at " + endOffset);
        }
        byte[] cd = cdOffset >= tailStart
                ? java.util.Arrays.copyOfRange(tail, (int) (cdOffset - tailStart), (int) (cdOffset - tailStart + cdSize))
                : stream.read(Range.of(cdOffset, cdOffset + cdSize));
        return parse(cd, entries, shift, comment, what, cdOffset);
    }

    private static ZipDirectory parse(byte[] cd, long count, long shift, Optional<String> comment, String what,
            long cdOffset) throws IOException {
        ByteBuffer b = le(cd, 0, cd.length);
        List<ZipMember> list = new ArrayList<>((int) Math.min(count, 1 << 20));
        Map<String, ZipMember> byName = new LinkedHashMap<>();
        Map<String, Integer> hints = new LinkedHashMap<>();
        int p = 0;
        for (long i = 0; i < count; i++) {
            if (p + 46 > cd.length || b.getInt(p) != CENTRAL) {
                throw new IOException(what + ": central directory entry " + i + " of " + count + " at offset "
                        + (cdOffset + p) + " is missing or damaged");
            }
            int madeBy = u16(b, p + 4);
            int flags = u16(b, p + 8);
            int method = u16(b, p + 10);
            int time = u16(b, p + 12);
            int date = u16(b, p + 14);
            long crc = u32(b, p + 16);
            long csize = u32(b, p + 20);
            long size = u32(b, p + 24);
            int nameLength = u16(b, p + 28);
            int extraLength = u16(b, p + 30);
            int commentLength = u16(b, p + 32);
            long external = u32(b, p + 38);
            long lho = u32(b, p + 42);
            int next = p + 46 + nameLength + extraLength + commentLength;
            if (next > cd.length) {
                throw new IOException(what + ": central directory entry " + i + " at offset " + (cdOffset + p)
                        + " runs past the directory's end");
            }
            String name = text(cd, p + 46, nameLength, (flags & 0x800) != 0);
            int x = p + 46 + nameLength;
            int xEnd = x + extraLength;
            while (x + 4 <= xEnd) {
                int id = u16(b, x);
                int len = u16(b, x + 2);
                if (id == 0x0001) {
                    int f = x + 4;
                    int fEnd = Math.min(xEnd, f + len);
                    if (size == 0xffffffffL && f + 8 <= fEnd) {
                        size = b.getLong(f);
                        f += 8;
                    }
                    if (csize == 0xffffffffL && f + 8 <= fEnd) {
                        csize = b.getLong(f);
                        f += 8;
                    }
                    if (lho == 0xffffffffL && f + 8 <= fEnd) {
                        lho = b.getLong(f);
                    }
                }
                x += 4 + len;
            }
            ZipMember m;
            try {
                m = new ZipMember(name, csize, size, method, crc, lho + shift, dosTime(date, time),
                        (flags & 1) != 0, madeBy, external);
            } catch (IllegalArgumentException e) {
                throw new IOException(what + ": " + e.getMessage(), e);
            }
            list.add(m);
            byName.put(name, m);
            hints.put(name, 30 + nameLength + extraLength);
            p = next;
        }
        return new ZipDirectory(Collections.unmodifiableList(list), Collections.unmodifiableMap(byName), comment,
                Collections.unmodifiableMap(hints));
    }

    /** The position of the end record in {@code tail}, searching back from the end, or -1. */
    private static int findEnd(byte[] tail) {
        ByteBuffer b = le(tail, 0, tail.length);
        for (int i = tail.length - EOCD_SIZE; i >= 0 && i >= tail.length - EOCD_SIZE - MAX_COMMENT; i--) {
            if (b.getInt(i) == EOCD && u16(b, i + 20) <= tail.length - i - EOCD_SIZE) {
                return i;
            }
        }
        return -1;
    }

    private static LocalDateTime dosTime(int date, int time) {
        try {
            return LocalDateTime.of(1980 + (date >> 9), Math.max(1, (date >> 5) & 0xf), Math.max(1, date & 0x1f),
                    (time >> 11) & 0x1f, (time >> 5) & 0x3f, Math.min(59, (time & 0x1f) * 2));
        } catch (DateTimeException e) {
            return LocalDateTime.of(1980, 1, 1, 0, 0);
        }
    }

    /** Names flagged UTF-8, or valid UTF-8, are UTF-8 (as the JDK reads them); others are code page 437. */
    static String text(byte[] bytes, int off, int len, boolean utf8) {
        if (utf8) {
            return new String(bytes, off, len, StandardCharsets.UTF_8);
        }
        if (ascii(bytes, off, len)) {
            // Most names: the same in UTF-8 and code page 437, and cheap to decode without a decoder per name.
            return new String(bytes, off, len, StandardCharsets.US_ASCII);
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, off, len));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, off, len, CP437);
        }
    }

    private static boolean ascii(byte[] bytes, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private static Charset cp437() {
        try {
            return Charset.forName("IBM437");
        } catch (UnsupportedCharsetException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }

    private static ByteBuffer le(byte[] bytes, int off, int len) {
        return ByteBuffer.wrap(bytes, off, len).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int u16(ByteBuffer b, int at) {
        return b.getShort(at) & 0xffff;
    }

    private static long u32(ByteBuffer b, int at) {
        return b.getInt(at) & 0xffffffffL;
    }
}
