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
import java.util.Locale;

/**
 * The lines {@code ls} prints: a header, one line per member (type and mode, date, sizes, name, as
 * {@code tar tv} and {@code zipinfo} show them) and a total. Tar dates are in the local time zone, as
 * {@code tar tv} shows them; zip dates are the local times the archive stores.
 */
final class ArchiveListing {

    private ArchiveListing() {}

    /** A zip's members. */
    static void zip(List<ZipMember> entries, PrintStream out) {
        out.printf(Locale.ROOT, "%-10s  %-16s  %12s  %12s  %-8s  %-8s  %s%n", "mode", "modified", "size", "compressed",
                "method", "crc32", "name");
        long total = 0;
        for (ZipMember m : entries) {
            String mode = m.permissions().orElse(m.isDirectory() ? "d" : "-");
            out.printf(Locale.ROOT, "%-10s  %s  %12d  %12d  %-8s  %08x  %s%n", mode, date(m.modified()), m.size(),
                    m.compressedSize(), method(m.method()), m.crc(), m.name());
            total += m.size();
        }
        out.println(entries.size() + " members, " + total + " bytes (" + ByteCount.format(total) + ")");
    }

    /** A tar's members; a link shows its target as {@code tar tv} does. */
    static void tar(List<TarMember> members, PrintStream out) {
        out.printf(Locale.ROOT, "%-10s  %-17s  %-16s  %12s  %12s  %s%n", "mode", "owner", "modified", "size", "offset",
                "name");
        long total = 0;
        ZoneId zone = ZoneId.systemDefault();
        for (TarMember m : members) {
            String link = switch (m.type()) {
                case SYMLINK -> " -> " + m.linkName();
                case HARDLINK -> " link to " + m.linkName();
                default -> "";
            };
            out.printf(Locale.ROOT, "%-10s  %-17s  %s  %12d  %12d  %s%s%n", m.permissions(), m.owner(),
                    date(LocalDateTime.ofInstant(m.mtime(), zone)), m.size(), m.dataOffset(), m.name(), link);
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
        out.printf(Locale.ROOT, "%-4s  %12s  %12s  %-8s  %s%n", "type", "offset", "length", "crc32", "kind");
        long data = 0;
        for (PngChunk c : chunks) {
            out.printf(Locale.ROOT, "%-4s  %12d  %12d  %08x  %s%n", c.type(), c.offset(), c.length(), c.crc(),
                    c.critical() ? "critical" : "ancillary");
            data += c.length();
        }
        out.println(chunks.size() + " chunks, " + data + " data bytes (" + ByteCount.format(data) + ")");
    }

    private static String date(LocalDateTime t) {
        return String.format(Locale.ROOT, "%04d-%02d-%02d %02d:%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                t.getHour(), t.getMinute());
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
