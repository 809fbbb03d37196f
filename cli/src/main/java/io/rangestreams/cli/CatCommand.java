package io.rangestreams.cli;

import io.rangestreams.RangeStream;
import io.rangestreams.format.tar.TarStream;
import io.rangestreams.format.zip.ZipStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;

/** {@code cat URL MEMBER}: one member of a remote zip or tar, to standard output. */
final class CatCommand implements Verb.Command {

    static final Verb VERB = new Verb("cat", "Write one member of a remote zip or tar to standard output.",
            "Write one member of a remote zip or tar to standard output, fetching only the index and that member.",
            List.of(), List.of(CliParameter.one("URL", "A zip or tar URL."),
                    CliParameter.one("MEMBER", "The member's name, as ls shows it.")), CatCommand::new);

    @Override
    public int run(RangeStreamsCommand root, ParsedCommandLine line) throws IOException {
        URI url = UrlArgument.parse(line, line.positional(0));
        cat(root.session(), url, line.positional(1), root.output().binary());
        return 0;
    }

    /**
     * Copies the member to {@code out}.
     *
     * @throws java.io.FileNotFoundException if the archive has no such member
     */
    static long cat(CliSession session, URI uri, String member, OutputStream out) throws IOException {
        return cat(LsCommand.openArchive(session, uri), member, out);
    }

    /** Copies a member of an archive opened by {@link LsCommand#openArchive} to {@code out}. */
    static long cat(RangeStream archive, String member, OutputStream out) throws IOException {
        InputStream in;
        if (archive instanceof ZipStream zip) {
            in = zip.open(member);
        } else if (archive instanceof TarStream tar) {
            in = tar.open(member);
        } else {
            throw new IllegalStateException("unexpected archive stream " + archive.getClass().getName());
        }
        try (in) {
            UnchangedCheck unchanged = new UnchangedCheck(archive); // known from the index just read
            long n = in.transferTo(out);
            out.flush();
            unchanged.requireUnchanged("written");
            return n;
        }
    }
}
