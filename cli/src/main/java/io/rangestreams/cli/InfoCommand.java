package io.rangestreams.cli;

import io.rangestreams.ResourceInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;

/** {@code info URL...}: what the server says about a resource, from one request. */
final class InfoCommand implements Verb.Command {

    static final Verb VERB = new Verb("info", "Show a resource's length, validators, type and range support.",
            "Show a resource's length, validators, content type and whether ranges are honoured (one HEAD request"
                    + " per URL).",
            List.of(UrlArgument.INPUT, UrlArgument.JOBS),
            List.of(CliParameter.many("URL", "http(s) URLs.")), InfoCommand::new);

    @Override
    public int run(RangeStreamsCommand root, ParsedCommandLine line) throws IOException, InterruptedException {
        List<URI> urls = UrlArgument.urls(line, 0, System.in);
        return UrlBatch.run(root, urls, UrlArgument.jobs(line), true, (stream, out) -> print(stream.resource(), out));
    }

    /** Prints the fields of {@code info}, one {@code name: value} per line. */
    static void print(ResourceInfo info, PrintStream out) {
        out.println("url:           " + info.uri());
        out.println("length:        " + info.length() + " (" + ByteCount.format(info.length()) + ")");
        out.println("etag:          " + info.etag().orElse("-"));
        out.println("last-modified: " + info.lastModified().orElse("-"));
        out.println("content-type:  " + info.contentType().orElse("-"));
        out.println("ranges:        " + (info.rangesHonoured() ? "honoured" : "ignored (whole-file download)"));
        out.println("protocol:      " + info.protocol().orElse("-"));
        FormatSniffer.byName(info.uri()).ifPresent(p -> out.println("format:        " + p.format()));
    }
}
