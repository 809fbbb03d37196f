package io.rangestreams.cli;

import io.rangestreams.format.png.PngChunk;
import io.rangestreams.format.png.PngStream;
import io.rangestreams.format.tar.TarMember;
import io.rangestreams.format.zip.ZipMember;
import java.io.IOException;
import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

/**
 * The lines {@code ls} prints: a header, one line per member (type and mode, date, sizes, name, as
 * {@code tar tv} and {@code zipinfo} show them) and a total. Tar dates are in the local time zone, as
 * {@code tar tv} shows them; zip dates are the local times the archive stores.
 */
final class ArchiveListing {

    private ArchiveListing() {}

    /** A zip's members. */
    static void zip(List<ZipMember> entries, PrintStream out) {
        TextLine line = new TextLine();
        out.println(line.left("mode", 10).gap().left("modified", 16).gap().right("size", 12).gap()
                .right("compressed", 12).gap().left("method", 8).gap().left("crc32", 8).gap().add("name"));
        long total = 0;
        for (ZipMember m : entries) {
            String mode = m.permissions().orElse(m.isDirectory() ? "d" : "-");
            line.clear().left(mode, 10).gap();
            date(line, m.modified()).gap().right(m.size(), 12).gap().right(m.compressedSize(), 12).gap()
                    .left(method(m.method()), 8).gap().hex8(m.crc()).gap().add(m.name());
            out.println(line);
            total += m.size();
        }
        out.println(entries.size() + " members, " + total + " bytes (" + ByteCount.format(total) + ")");
    }

    /** A tar's members; a link shows its target as {@code tar tv} does. */
    static void tar(List<TarMember> members, PrintStream out) {
        TextLine line = new TextLine();
        out.println(line.left("mode", 10).gap().left("owner", 17).gap().left("modified", 16).gap().right("size", 12)
                .gap().right("offset", 12).gap().add("name"));
        long total = 0;
        ZoneId zone = ZoneId.systemDefault();
        for (TarMember m : members) {
            line.clear().left(m.permissions(), 10).gap().left(m.owner(), 17).gap();
            date(line, LocalDateTime.ofInstant(m.mtime(), zone)).gap().right(m.size(), 12).gap()
                    .right(m.dataOffset(), 12).gap().add(m.name());
            switch (m.type()) {
                case SYMLINK -> line.add(" -> ").add(m.linkName());
                case HARDLINK -> line.add(" link to ").add(m.linkName());
                default -> { }
            }
            out.println(line);
            total += m.size();
        }
        out.println(members.size() + " members, " + total + " bytes (" + ByteCount.format(total) + ")");
    }

    /** A PNG's header and its chunks, read from the chunk headers only. */
    static void png(PngStream png, PrintStream out) throws IOException {
        var h = png.header();
        out.println(h.width() + "x" + h.height() + ", " + h.bitDepth() + "-bit " + h.colourTypeName()
                + (h.interlaced() ? ", interlaced" : ""));
        List<PngChunk> chunks = png.chunks();
        TextLine line = new TextLine();
        out.println(line.left("type", 4).gap().right("offset", 12).gap().right("length", 12).gap().left("crc32", 8)
                .gap().add("kind"));
        long data = 0;
        for (PngChunk c : chunks) {
            out.println(line.clear().left(c.type(), 4).gap().right(c.offset(), 12).gap().right(c.length(), 12).gap()
                    .hex8(c.crc()).gap().add(c.critical() ? "critical" : "ancillary"));
            data += c.length();
        }
        out.println(chunks.size() + " chunks, " + data + " data bytes (" + ByteCount.format(data) + ")");
    }

    /** {@code 2024-06-30 12:00}. */
    private static TextLine date(TextLine line, LocalDateTime t) {
        return line.zeroPadded(t.getYear(), 4).add('-').zeroPadded(t.getMonthValue(), 2).add('-')
                .zeroPadded(t.getDayOfMonth(), 2).add(' ').zeroPadded(t.getHour(), 2).add(':')
                .zeroPadded(t.getMinute(), 2);
    }

    private static String method(int method) {
        return switch (method) {
            case 0 -> "stored";
            case 8 -> "deflate";
            case 9 -> "deflate64";
            case 12 -> "bzip2";
            case 14 -> "lzma";
            case 93 -> "zstd";
            default -> "m" + method;
        };
    }
}
