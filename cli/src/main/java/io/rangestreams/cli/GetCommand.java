package io.rangestreams.cli;

import io.rangestreams.Range;
import io.rangestreams.RangeStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code get URL [--range a-b | --range -n] [-o FILE]}: bytes of a resource, to standard output or a file. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = "Write bytes of a resource to standard output (or -o FILE), fetching only those bytes.")
final class GetCommand implements Callable<Integer> {

    /** Bytes read and written per step, so a large range never sits whole in memory. */
    static final int WINDOW = 4 * 1024 * 1024;

    @ParentCommand
    private RangeStreamsCommand root;

    @Parameters(index = "0", paramLabel = "URL", converter = UrlArgument.class, description = "An http(s) URL.")
    private URI url;

    @Option(names = {"-r", "--range"}, paramLabel = "RANGE", converter = ByteRangeArgument.class,
            description = "Inclusive, as in HTTP: a-b (bytes a to b), a- (from a to the end), -n (the last n"
                    + " bytes). A range running past the end is cut at the end. Default: the whole resource.")
    private Range range;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    private Path output;

    @Override
    public Integer call() throws IOException {
        RangeStream stream = root.session().open(url);
        Range wanted = range == null ? Range.from(0) : range;
        if (output == null) {
            copy(stream, wanted, root.out());
            return 0;
        }
        Path tmp = output.resolveSibling(output.getFileName() + ".part-get");
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp))) {
            copy(stream, wanted, os);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return 0;
    }

    /**
     * Writes the bytes of {@code wanted} to {@code out}, cut at the end of the resource, a window at a
     * time. The first fetch learns the length from its own response, so no separate probe is sent.
     *
     * @return the number of bytes written
     * @throws io.rangestreams.RangeNotSatisfiableException if the range starts at or past the end
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
        Range abs = wanted.resolve(length);
        long stop = Math.min(abs.stop(), length);
        long written = 0;
        for (long pos = abs.start(); pos < stop; pos += WINDOW) {
            byte[] bytes = stream.read(Range.of(pos, Math.min(stop, pos + WINDOW)));
            out.write(bytes);
            written += bytes.length;
        }
        out.flush();
        return written;
    }
}
