package io.rangestreams.cli;

import io.rangestreams.RangeStream;
import io.rangestreams.ResourceInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code info URL}: what the server says about a resource, from one request. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show a resource's length, validators, content type and whether ranges are honoured"
                + " (one HEAD request).")
final class InfoCommand implements Callable<Integer> {

    @ParentCommand
    private RangeStreamsCommand root;

    @Parameters(index = "0", paramLabel = "URL", converter = UrlArgument.class, description = "An http(s) URL.")
    private URI url;

    @Override
    public Integer call() throws IOException {
        RangeStream stream = root.session().open(url);
        print(stream.resource(), root.out());
        return 0;
    }

    /** Prints the fields of {@code info}, one {@code name: value} per line. */
    static void print(ResourceInfo info, PrintStream out) {
        out.println("url:           " + info.uri());
        out.println("length:        " + info.length() + " (" + ByteCount.format(info.length()) + ")");
        out.println("etag:          " + info.etag().orElse("-"));
        out.println("last-modified: " + info.lastModified().orElse("-"));
        out.println("content-type:  " + info.contentType().orElse("-"));
        out.println("ranges:        " + (info.rangesHonoured() ? "honoured" : "ignored (whole-file download)"));
        FormatSniffer.byName(info.uri()).ifPresent(p -> out.println("format:        " + p.format()));
    }
}
