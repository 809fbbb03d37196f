package io.rangestreams.cli;

import io.rangestreams.RangeStream;
import io.rangestreams.format.conda.CondaStream;
import io.rangestreams.format.png.PngStream;
import io.rangestreams.format.tar.TarStream;
import io.rangestreams.format.zip.ZipStream;
import io.rangestreams.spi.RangeStreamProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;

/** {@code ls URL...}: the members of a remote zip or tar, read from its index without downloading it. */
final class LsCommand implements Verb.Command {

    static final CliOption PAYLOAD = CliOption.flag("For a conda package, also list the files it installs (this"
            + " fetches the whole package payload, which can only be decompressed from its start).", "--payload");

    /** The formats {@code ls} reads. */
    static final List<String> FORMATS = List.of("zip", "tar", "png", "conda");

    static final Verb VERB = new Verb("ls", "List a remote zip, tar, conda package or PNG from its index.",
            "List the members of a remote zip or tar (type and mode, date, sizes, name; links with their target),"
                    + " the container and info files of a conda package, or the header and chunks of a PNG,"
                    + " fetching only the index. The format comes from the name, else from the first bytes.",
            List.of(PAYLOAD, UrlArgument.INPUT, UrlArgument.JOBS),
            List.of(CliParameter.many("URL", "Zip, tar, conda or PNG URLs.")), LsCommand::new);

    @Override
    public int run(RangeStreamsCommand root, ParsedCommandLine line) throws IOException, InterruptedException {
        List<URI> urls = UrlArgument.urls(line, 0, System.in);
        boolean payload = line.has(PAYLOAD.key());
        return UrlBatch.run(root, urls, UrlArgument.jobs(line), true,
                (stream, out) -> list(openArchive(stream, FORMATS), out, payload));
    }

    /** Opens the archive at {@code uri} in one of {@code formats}, sniffing which. */
    static RangeStream openArchive(CliSession session, URI uri, List<String> formats) throws IOException {
        return openArchive(session.open(uri), formats);
    }

    /** Opens a plain stream in one of {@code formats}, sniffing which. */
    static RangeStream openArchive(RangeStream base, List<String> formats) throws IOException {
        RangeStreamProvider<?> provider = FormatSniffer.detect(base.uri(), base, formats);
        return provider.open(base);
    }

    /** Prints one line per member of an archive opened by {@link #openArchive}, with a header and a total. */
    static void list(RangeStream archive, PrintStream out) throws IOException {
        list(archive, out, false);
    }

    /**
     * Prints what {@code ls} shows of an archive opened by {@link #openArchive}.
     *
     * @param payload for a conda package, also list the files it installs (fetching the whole payload)
     */
    static void list(RangeStream archive, PrintStream out, boolean payload) throws IOException {
        if (archive instanceof ZipStream zip) {
            ArchiveListing.zip(zip.entries(), out);
        } else if (archive instanceof TarStream tar) {
            ArchiveListing.tar(tar.members(), out);
        } else if (archive instanceof PngStream png) {
            ArchiveListing.png(png, out);
        } else if (archive instanceof CondaStream conda) {
            ArchiveListing.zip(conda.archive().entries(), out);
            out.println();
            out.println("info archive:");
            ArchiveListing.tar(conda.infoMembers(), out);
            if (payload) {
                out.println();
                out.println("package payload:");
                ArchiveListing.tar(conda.packageMembers(), out);
            }
        } else {
            throw new IllegalStateException("unexpected archive stream " + archive.getClass().getName());
        }
    }
}
