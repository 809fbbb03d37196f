package io.rangestreams.cli;

import io.rangestreams.RangeStream;
import io.rangestreams.format.tar.TarMember;
import io.rangestreams.format.tar.TarStream;
import io.rangestreams.format.zip.ZipMember;
import io.rangestreams.format.zip.ZipStream;
import io.rangestreams.spi.RangeStreamProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/** {@code ls URL...}: the members of a remote zip or tar, read from its index without downloading it. */
final class LsCommand implements Verb.Command {

    static final Verb VERB = new Verb("ls", "List the members of a remote zip or tar from its index.",
            "List the members of a remote zip or tar (format from the name, else the first bytes), fetching only"
                    + " the index.",
            List.of(UrlArgument.INPUT, UrlArgument.JOBS),
            List.of(CliParameter.many("URL", "Zip or tar URLs.")), LsCommand::new);

    /** The formats {@code ls} and {@code cat} read. */
    static final List<String> FORMATS = List.of("zip", "tar");

    @Override
    public int run(RangeStreamsCommand root, ParsedCommandLine line) throws IOException, InterruptedException {
        List<URI> urls = UrlArgument.urls(line, 0, System.in);
        return UrlBatch.run(root, urls, UrlArgument.jobs(line), true, (stream, out) -> list(openArchive(stream), out));
    }

    /** Opens the archive at {@code uri} as a zip or tar, sniffing which. */
    static RangeStream openArchive(CliSession session, URI uri) throws IOException {
        return openArchive(session.open(uri));
    }

    /** Opens a plain stream as a zip or tar, sniffing which. */
    static RangeStream openArchive(RangeStream base) throws IOException {
        RangeStreamProvider<?> provider = FormatSniffer.detect(base.uri(), base, FORMATS);
        return provider.open(base);
    }

    /** Prints one line per member of an archive opened by {@link #openArchive}, with a header and a total. */
    static void list(RangeStream archive, PrintStream out) throws IOException {
        if (archive instanceof ZipStream zip) {
            List<ZipMember> entries = zip.entries();
            out.printf(Locale.ROOT, "%12s  %12s  %-8s  %-8s  %s%n", "size", "compressed", "method", "crc32", "name");
            long total = 0;
            for (ZipMember m : entries) {
                out.printf(Locale.ROOT, "%12d  %12d  %-8s  %08x  %s%n", m.size(), m.compressedSize(),
                        method(m.method()), m.crc(), m.name());
                total += m.size();
            }
            out.println(entries.size() + " members, " + total + " bytes (" + ByteCount.format(total) + ")");
        } else if (archive instanceof TarStream tar) {
            List<TarMember> members = tar.members();
            out.printf(Locale.ROOT, "%12s  %12s  %s%n", "size", "offset", "name");
            long total = 0;
            for (TarMember m : members) {
                out.printf(Locale.ROOT, "%12d  %12d  %s%n", m.size(), m.dataOffset(), m.name());
                total += m.size();
            }
            out.println(members.size() + " members, " + total + " bytes (" + ByteCount.format(total) + ")");
        } else {
            throw new IllegalStateException("unexpected archive stream " + archive.getClass().getName());
        }
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
