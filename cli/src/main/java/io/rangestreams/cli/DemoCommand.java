package io.rangestreams.cli;

import io.rangestreams.RangeStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code demo}: generates a zip, serves it on 127.0.0.1 with {@link StaticFileServer}, runs
 * {@code info}, {@code ls} and {@code cat} against it through one stream, and shows after each step how
 * many requests and bytes it took next to the archive's size. Needs no network.
 */
final class DemoCommand implements Verb.Command {

    static final Verb VERB = new Verb("demo", "Run info, ls and cat against a generated zip on 127.0.0.1.",
            "Serve a generated zip on 127.0.0.1 and run info, ls and cat against it, showing the requests and bytes"
                    + " each took against the archive's size. Works offline.",
            List.of(), List.of(), DemoCommand::new);

    @Override
    public int run(RangeStreamsCommand root, ParsedCommandLine line) throws IOException {
        PrintStream out = root.out();
        Path dir = Files.createTempDirectory("range-streams-demo");
        try {
            Path zipFile = dir.resolve("demo.zip");
            int members = DemoArchive.write(zipFile);
            long size = Files.size(zipFile);
            try (StaticFileServer server = StaticFileServer.start(dir, 0)) {
                URI uri = server.uri("demo.zip");
                CliSession session = root.session();
                out.println("range-streams demo: a generated zip of " + members + " members, " + size + " bytes ("
                        + ByteCount.format(size) + "),");
                out.println("served with range support at " + uri + " (loopback only, no network needed).");
                // One stream for the three steps, as a program would hold it: each step fetches only what the
                // previous ones did not.
                RangeStream archive = LsCommand.openArchive(session, uri, CatCommand.FORMATS);
                step(out, session, size, "info " + uri, () -> InfoCommand.print(archive.resource(), out));
                step(out, session, size, "ls " + uri, () -> LsCommand.list(archive, out));
                step(out, session, size, "cat " + uri + " " + DemoArchive.README,
                        () -> CatCommand.cat(archive, DemoArchive.README, out));
                RangeStream.Stats total = session.stats();
                out.println();
                out.println("total: " + plural(total.requests(), "request") + ", " + total.bytesFetched()
                        + " bytes fetched = " + ByteCount.percent(total.bytesFetched(), size) + " of the "
                        + ByteCount.format(size) + " archive (the server sent " + server.bytesServed()
                        + " body bytes in " + plural(server.requests(), "response") + ").");
                out.println("try it on a real file: ./range-streams ls <url-of-a-zip>,"
                        + " or serve a directory: ./range-streams serve DIR");
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    /** One step of the demo: the command line, its output, and what it cost. */
    private interface Step {
        void run() throws IOException;
    }

    private static void step(PrintStream out, CliSession session, long size, String commandLine, Step step)
            throws IOException {
        RangeStream.Stats before = session.stats();
        out.println();
        out.println("$ range-streams " + commandLine);
        step.run();
        RangeStream.Stats after = session.stats();
        long requests = after.requests() - before.requests();
        long fetched = after.bytesFetched() - before.bytesFetched();
        long fromStore = after.bytesFromStore() - before.bytesFromStore();
        out.println("  -> " + plural(requests, "request") + ", " + fetched + " bytes fetched ("
                + ByteCount.percent(fetched, size) + " of the archive)"
                + (fromStore > 0 ? ", " + fromStore + " bytes reused from the store" : ""));
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
