package io.rangestreams.cli;

import io.rangestreams.Range;
import io.rangestreams.RangeNotSatisfiableException;
import io.rangestreams.RangeStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code get URL... [--range a-b | --range -n] [-o FILE]}: bytes of resources, to standard output or
 * files.
 */
final class GetCommand implements Verb.Command {

    static final CliOption RANGE = CliOption.valued("RANGE", "Inclusive, as in HTTP: a-b (bytes a to b), a- (from a"
            + " to the end), -n (the last n bytes). A range running past the end is cut at the end. Exactly the"
            + " bytes named are fetched. Repeat it for several ranges: they are fetched together (near ones in one"
            + " request, the others in one multi-range request where the server allows it, else in parallel) and written one after another in the order given. Default: the"
            + " whole resource.", "-r", "--range");
    static final CliOption OUTPUT = CliOption.valued("FILE", "Write to FILE instead of standard output; with"
            + " several URLs, FILE is a directory and each is written to its file name there.", "-o", "--output");

    static final Verb VERB = new Verb("get", "Write bytes of resources to standard output or a file.",
            "Write bytes of resources to standard output (or -o FILE), fetching only those bytes. Several URLs are"
                    + " written one after another, or with -o DIR into files, --jobs at a time.",
            List.of(RANGE, OUTPUT, UrlArgument.INPUT, UrlArgument.JOBS),
            List.of(CliParameter.many("URL", "http(s) URLs.")), GetCommand::new);

    /** The first fetch, which also learns the length; the window of each later fetch of a bounded range. */
    static final int WINDOW = 4 * 1024 * 1024;

    /** The most ranges of one {@code get} asked for in one request. */
    static final int MAX_RANGES_PER_REQUEST = 100;

    /** Bytes read and written per step, so a large range never sits whole in memory. */
    static final int STEP = 64 * 1024;

    @Override
    public int run(RangeStreamsCommand root, ParsedCommandLine line) throws IOException, InterruptedException {
        List<URI> urls = UrlArgument.urls(line, 0, System.in);
        List<Range> ranges = new ArrayList<>();
        for (String r : line.values(RANGE.key())) {
            ranges.add(ByteRangeArgument.parse(r));
        }
        List<Range> wanted = ranges.isEmpty() ? List.of(Range.from(0)) : List.copyOf(ranges);
        if (wanted.stream().anyMatch(Range::isSuffix)) {
            // The last n bytes are asked for before the length is known: without this the engine rounds
            // the request up to a whole block from the end.
            root.session().tune(b -> b.blockSize(1));
        }
        if (wanted.size() > 1) {
            // Scattered ranges go together, as one request where the server answers multipart/byteranges.
            root.session().tune(b -> b.maxRangesPerRequest(MAX_RANGES_PER_REQUEST));
        }
        Path output = line.value(OUTPUT.key()).map(Path::of).orElse(null);
        if (output == null) {
            // Bytes to standard output, one URL after another, as they arrive: never buffered whole.
            OutputStream out = root.output().binary();
            return UrlBatch.run(root, urls, 1, false, (stream, group) -> get(stream, wanted, out));
        }
        if (urls.size() > 1 && !Files.isDirectory(output)) {
            throw line.usageError("with several URLs, -o names a directory; '" + output + "' is not one");
        }
        return UrlBatch.run(root, urls, UrlArgument.jobs(line), false, (stream, group) -> {
            Path file = urls.size() > 1 ? output.resolve(CpCommand.fileName(stream.uri())) : output;
            getToFile(stream, wanted, file);
        });
    }

    private static void get(RangeStream stream, List<Range> wanted, OutputStream out) throws IOException {
        if (wanted.size() > 1) {
            // One plan for all: near ranges coalesced, the requests in parallel. Ranges open to the end
            // are left to the streaming copy, so they never sit whole in the store.
            stream.fetchAll(wanted.stream().filter(r -> r.isSuffix() || r.stop() != Range.END).toList());
        }
        for (Range r : wanted) {
            copy(stream, r, out);
        }
        out.flush(); // once: each range's bytes are in the buffer or already written by it
    }

    private static void getToFile(RangeStream stream, List<Range> wanted, Path output) throws IOException {
        if (Files.exists(output) && !Files.isRegularFile(output)) {
            // A device or a pipe (-o /dev/null): written to as it is. Only a regular file is written
            // beside and moved into place, which would replace a device with a file.
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(output))) {
                get(stream, wanted, os);
            }
            return;
        }
        Path tmp = output.resolveSibling(output.getFileName() + ".part-get");
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp))) {
            get(stream, wanted, os);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Writes the bytes of {@code wanted} to {@code out}, cut at the end of the resource. The first
     * window's fetch learns the length from its own response, so no separate probe is sent. A range
     * open to the end is then read sequentially through a channel, so the engine's readahead streams it
     * (a whole 1 GiB file is about 50 requests, read while the next bytes arrive); a bounded range is
     * fetched a window at a time, exactly, so nothing past its end is asked for. Memory stays small
     * either way.
     *
     * @return the number of bytes written
     * @throws RangeNotSatisfiableException if the range starts at or past the end
     * @throws io.rangestreams.ResourceChangedException if the resource changed while it was written
     */
    static long copy(RangeStream stream, Range wanted, OutputStream out) throws IOException {
        boolean openEnded = !wanted.isSuffix() && wanted.stop() == Range.END;
        if (wanted.isSuffix()) {
            stream.fetch(wanted);
        } else {
            long firstStop = openEnded ? wanted.start() + WINDOW : Math.min(wanted.stop(), wanted.start() + WINDOW);
            try {
                stream.fetch(Range.of(wanted.start(), firstStop));
            } catch (RangeNotSatisfiableException e) {
                if (wanted.start() == 0 && stream.length() == 0) {
                    return 0; // the whole of an empty resource is nothing
                }
                throw e;
            }
        }
        long length = stream.length();
        UnchangedCheck unchanged = new UnchangedCheck(stream);
        Range abs = wanted.resolve(length);
        long stop = Math.min(abs.stop(), length);
        long written = openEnded ? stream(stream, abs.start(), stop, out) : exact(stream, abs.start(), stop, out);
        unchanged.requireUnchanged("written");
        return written;
    }

    /** Reads {@code [from, stop)} through a channel, so readahead runs ahead of the writes. */
    private static long stream(RangeStream stream, long from, long stop, OutputStream out) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(STEP);
        try (SeekableByteChannel channel = stream.channel()) {
            channel.position(from);
            for (long pos = from; pos < stop; ) {
                buffer.clear().limit((int) Math.min(STEP, stop - pos));
                int n = channel.read(buffer);
                if (n < 0) {
                    throw new EOFException("resource " + stream.uri() + " ended at " + pos + ", before " + stop);
                }
                out.write(buffer.array(), 0, n);
                pos += n;
            }
        }
        return stop - from;
    }

    /**
     * Fetches {@code [from, stop)} a window at a time, exactly, writing each window before the next. The
     * first window is the one {@link #copy} fetched to learn the length.
     */
    private static long exact(RangeStream stream, long from, long stop, OutputStream out) throws IOException {
        for (long window = from; window < stop; window += WINDOW) {
            long windowStop = Math.min(stop, window + WINDOW);
            if (window != from) {
                stream.fetch(Range.of(window, windowStop));
            }
            for (long pos = window; pos < windowStop; pos += STEP) {
                out.write(stream.read(Range.of(pos, Math.min(windowStop, pos + STEP))));
            }
        }
        return stop - from;
    }
}
