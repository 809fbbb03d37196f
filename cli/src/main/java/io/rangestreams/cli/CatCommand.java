package io.rangestreams.cli;

import io.rangestreams.RangeStream;
import io.rangestreams.format.conda.CondaStream;
import io.rangestreams.format.tar.TarMember;
import io.rangestreams.format.tar.TarStream;
import io.rangestreams.format.zip.ZipMember;
import io.rangestreams.format.zip.ZipStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/** {@code cat URL MEMBER}: one member of a remote zip or tar, to standard output. */
final class CatCommand implements Verb.Command {

    static final Verb VERB = new Verb("cat", "Write one member of a remote zip or tar to standard output.",
            "Write one member of a remote zip or tar to standard output, fetching only the index and that member.",
            List.of(), List.of(CliParameter.one("URL", "A zip or tar URL."),
                    CliParameter.one("MEMBER", "The member's name, as ls shows it.")), CatCommand::new);

    /** The formats {@code cat} reads members of. */
    static final List<String> FORMATS = List.of("zip", "tar", "conda");

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
        return cat(LsCommand.openArchive(session, uri, FORMATS), member, out);
    }

    /**
     * Copies a member of an archive opened by {@link LsCommand#openArchive} to {@code out}.
     *
     * @throws IOException naming the target if the member is a link, which has no bytes of its own
     */
    static long cat(RangeStream archive, String member, OutputStream out) throws IOException {
        InputStream in;
        if (archive instanceof CondaStream conda) {
            archive = conda.archive();
        }
        if (archive instanceof ZipStream zip) {
            if (zip.entry(member).filter(ZipMember::isSymbolicLink).isPresent()) {
                throw linked(archive, member, "a symbolic link", zip.linkTarget(member).orElseThrow());
            }
            in = zip.open(member);
        } else if (archive instanceof TarStream tar) {
            Optional<TarMember> m = tar.member(member).filter(TarMember::isLink);
            if (m.isPresent()) {
                String kind = m.get().type() == TarMember.Type.SYMLINK ? "a symbolic link" : "a hard link";
                throw linked(archive, member, kind, m.get().linkName());
            }
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

    private static IOException linked(RangeStream archive, String member, String kind, String target) {
        return new IOException(member + " in " + archive.uri() + " is " + kind + " to " + target
                + "; cat that member instead");
    }
}
