package io.rangestreams.cli;

import io.rangestreams.Range;
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
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code get URL [--range a-b | --range -n] [-o FILE]}: bytes of a resource, to standard output or a file. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = "Write bytes of a resource to standard output (or -o FILE), fetching only those bytes.")
final class GetCommand implements Callable<Integer> {

    /** The first fetch, which also learns the length: a small range is this one request. */
    static final int WINDOW = 4 * 1024 * 1024;

    /** Bytes read and written per step, so a large range never sits whole in memory. */
    static final int STEP = 64 * 1024;

    @ParentCommand
    private RangeStreamsCommand root;

    @Parameters(index = "0", paramLabel = "URL", converter = UrlArgument.class, description = "An http(s) URL.")
    private URI url;

    @Option(names = {"-r", "--range"}, paramLabel = "RANGE", converter = ByteRangeArgument.class,
            description = "Inclusive, as in HTTP: a-b (bytes a to b), a- (from a to the end), -n (the last n"
                    + " bytes). A range running past the end is cut at the end. Repeat it for several ranges:"
                    + " they are fetched together (near ones in one request, the others in parallel) and"
                    + " written one after another in the order given. Default: the whole resource.")
    private List<Range> ranges;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    private Path output;

    @Override
    public Integer call() throws IOException {
        RangeStream stream = root.session().open(url);
        List<Range> wanted = ranges == null || ranges.isEmpty() ? List.of(Range.from(0)) : ranges;
        if (wanted.size() > 1) {
            // One plan for all: near ranges coalesced, the requests in parallel. Ranges open to the end
            // are left to the streaming copy, so they never sit whole in the store.
            stream.fetchAll(wanted.stream().filter(r -> r.isSuffix() || r.stop() != Range.END).toList());
        }
        if (output == null) {
            copyAll(stream, wanted, root.out());
            return 0;
        }
        if (Files.exists(output) && !Files.isRegularFile(output)) {
            // A device or a pipe (-o /dev/null): written to as it is. Only a regular file is written
            // beside and moved into place, which would replace a device with a file.
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(output))) {
                copyAll(stream, wanted, os);
            }
            return 0;
        }
        Path tmp = output.resolveSibling(output.getFileName() + ".part-get");
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp))) {
            copyAll(stream, wanted, os);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return 0;
    }

    private static void copyAll(RangeStream stream, List<Range> wanted, OutputStream out) throws IOException {
        for (Range r : wanted) {
            copy(stream, r, out);
        }
    }

    /**
     * Writes the bytes of {@code wanted} to {@code out}, cut at the end of the resource. The first
     * window's fetch learns the length from its own response, so no separate probe is sent; the rest
     * is read sequentially through a channel in {@link #STEP} pieces, so the engine's readahead streams
     * it (a whole 1 GiB file is about 50 requests, read while the next bytes arrive) and memory stays
     * small.
     *
     * @return the number of bytes written
     * @throws io.rangestreams.RangeNotSatisfiableException if the range starts at or past the end
     * @throws io.rangestreams.ResourceChangedException if the resource changed while it was written
     */
    static long copy(RangeStream stream, Range wanted, OutputStream out) throws IOException {
        if (wanted.isSuffix()) {
            stream.fetch(wanted);
        } else {
            long firstStop = wanted.stop() == Range.END ? wanted.start() + WINDOW
                    : Math.min(wanted.stop(), wanted.start() + WINDOW);
            try {
                stream.fetch(Range.of(wanted.start(), firstStop));
            } catch (io.rangestreams.RangeNotSatisfiableException e) {
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
        long written = 0;
        ByteBuffer buffer = ByteBuffer.allocate(STEP);
        try (SeekableByteChannel channel = stream.channel()) {
            channel.position(abs.start());
            for (long pos = abs.start(); pos < stop; ) {
                buffer.clear().limit((int) Math.min(STEP, stop - pos));
                int n = channel.read(buffer);
                if (n < 0) {
                    throw new EOFException("resource " + stream.uri() + " ended at " + pos + ", before " + stop);
                }
                out.write(buffer.array(), 0, n);
                pos += n;
                written += n;
            }
        }
        out.flush();
        unchanged.requireUnchanged("written");
        return written;
    }
}
