package io.rangestreams.cli;

import io.rangestreams.RangeStream;
import io.rangestreams.ResourceInfo;
import io.rangestreams.format.png.PngHeader;
import io.rangestreams.format.png.PngStream;
import io.rangestreams.spi.RangeStreamProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;

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
        return UrlBatch.run(root, urls, UrlArgument.jobs(line), true, (stream, out) -> info(stream, out));
    }

    /**
     * Prints what {@code info} shows of a stream: the resource, from one HEAD request; for a PNG, its
     * header too, from one ranged GET that also tells the resource (so still one request).
     */
    static void info(RangeStream stream, PrintStream out) throws IOException {
        Optional<RangeStreamProvider<?>> format = FormatSniffer.byName(stream.uri());
        if (format.isPresent() && format.get().format().equals("png")) {
            PngHeader h = ((PngStream) format.get().open(stream)).header();
            print(stream.resource(), out);
            out.println("width:         " + h.width());
            out.println("height:        " + h.height());
            out.println("bit depth:     " + h.bitDepth());
            out.println("colour type:   " + h.colourType() + " (" + h.colourTypeName() + ")");
            out.println("interlaced:    " + (h.interlaced() ? "yes (Adam7)" : "no"));
        } else {
            print(stream.resource(), out);
        }
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
