package io.rangestreams.cli;

import io.rangestreams.Range;
import io.rangestreams.RangeStream;
import io.rangestreams.spi.StoreOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cp URL FILE}: downloads a resource with parallel range requests, resuming a partial file.
 *
 * <p>The download runs a window at a time: {@code parallel} chunks are fetched together with
 * {@link RangeStream#fetchAll} (the engine sends them concurrently), then written at their offsets, so
 * memory stays bounded by the window. An existing shorter {@code FILE} is taken as the start of the
 * resource, as {@code curl -C -} does: only the rest is fetched; unless {@link PartialCopy its record}
 * says it is a copy of another version of the resource, which is started again.
 */
@Command(name = "cp", mixinStandardHelpOptions = true,
        description = "Download a resource to FILE with parallel range requests; a partial FILE is resumed.")
final class CpCommand implements Callable<Integer> {

    private static final long DEFAULT_CHUNK = 4 * 1024 * 1024;
    private static final long MAX_CHUNK = 64 * 1024 * 1024;
    private static final long ALIGN = 64 * 1024;

    @ParentCommand
    private RangeStreamsCommand root;

    @Parameters(index = "0", paramLabel = "URL", converter = UrlArgument.class, description = "An http(s) URL.")
    private URI url;

    @Parameters(index = "1", paramLabel = "FILE", description = "Where to write; resumed if it holds a prefix.")
    private Path file;

    @Option(names = {"-p", "--parallel"}, paramLabel = "N", defaultValue = "4",
            description = "Range requests in flight at once (default: ${DEFAULT-VALUE}).")
    private int parallel;

    @Option(names = "--chunk-size", paramLabel = "SIZE",
            description = "Bytes per request, a multiple of 64k up to 64m, e.g. 1m (default: 4m).")
    private String chunkSize;

    @Option(names = "--no-resume", description = "Start again from the first byte even if FILE exists.")
    private boolean noResume;

    @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Show a progress bar when standard error is a terminal (default: on).")
    private boolean progress;

    @Override
    public Integer call() throws IOException {
        if (parallel < 1 || parallel > 32) {
            throw new IllegalArgumentException("--parallel must be between 1 and 32, was " + parallel);
        }
        long chunk = chunkSize == null ? DEFAULT_CHUNK : StoreOptions.parseSize("--chunk-size", chunkSize);
        if (chunk % ALIGN != 0 || chunk > MAX_CHUNK) {
            throw new IllegalArgumentException("--chunk-size must be a multiple of 64k up to 64m, was " + chunkSize);
        }
        if (Files.isDirectory(file)) {
            file = file.resolve(fileName(url));
        }
        long have = !noResume && Files.isRegularFile(file) ? Files.size(file) : 0;
        CliSession session = root.session();
        // The chunk is the engine's largest request, so one window of N chunks becomes N parallel requests
        // (otherwise the planner would coalesce the adjacent chunks into one). Block alignment is off so a
        // resumed copy asks for exactly the bytes after the partial file.
        session.tune(b -> b.blockSize(1).parallelism(parallel).maxRequestSize(chunk));
        RangeStream stream = session.open(url);
        long length = stream.length();
        PrintStream err = root.err();
        UnchangedCheck unchanged = new UnchangedCheck(stream);
        boolean device = Files.exists(file) && !Files.isRegularFile(file); // e.g. /dev/null
        if (have > 0 && PartialCopy.read(file).filter(v -> !v.isSameVersion(unchanged.version())).isPresent()) {
            err.println(file + " is a partial copy of another version of " + url + ": starting again");
            have = 0;
        }
        if (have > length) {
            throw new IOException(file + " is longer than " + url + " (" + have + " > " + length
                    + " bytes): not a partial copy of it; use --no-resume to overwrite");
        }
        if (have == length && have > 0) {
            PartialCopy.delete(file);
            err.println(file + " is already complete (" + ByteCount.format(length) + ")");
            return 0;
        }
        if (have > 0) {
            err.println("resuming " + file + " at " + have + " of " + length + " bytes");
        }
        if (!device) {
            PartialCopy.write(file, unchanged.version());
        }
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                ProgressBar bar = progressBar(err, length, have)) {
            if (have == 0) {
                out.truncate(0);
            }
            long window = chunk * parallel;
            for (long pos = have; pos < length; pos += window) {
                long end = Math.min(length, pos + window);
                List<Range> chunks = new ArrayList<>();
                for (long c = pos; c < end; c += chunk) {
                    chunks.add(Range.of(c, Math.min(end, c + chunk)));
                }
                stream.fetchAll(chunks);
                write(stream, out, pos, end);
                if (bar != null) {
                    bar.stepTo(end);
                }
            }
            if (!device) {
                out.force(false); // a device such as /dev/null cannot be synced (EINVAL)
            }
        }
        try {
            unchanged.requireUnchanged("copied to " + file);
        } catch (IOException e) {
            if (!device) {
                Files.deleteIfExists(file); // two versions in one file: not a partial copy to resume either
                PartialCopy.delete(file);
            }
            throw e;
        }
        if (!device) {
            PartialCopy.delete(file);
        }
        return 0;
    }

    /**
     * Copies held bytes {@code [from, to)} into the file at the same offsets. Reads by range, not by
     * position, so no readahead runs outside the planned window.
     */
    private static void write(RangeStream stream, FileChannel out, long from, long to) throws IOException {
        long pos = from;
        while (pos < to) {
            ByteBuffer buf = ByteBuffer.wrap(stream.read(Range.of(pos, Math.min(to, pos + 1024 * 1024))));
            while (buf.hasRemaining()) {
                pos += out.write(buf, pos);
            }
        }
    }

    private ProgressBar progressBar(PrintStream err, long length, long start) {
        // Only on a terminal, and only when stderr is the process's own (not captured by a caller).
        if (!progress || System.console() == null || err != System.err) {
            return null;
        }
        return new ProgressBarBuilder()
                .setTaskName(fileName(url))
                .setInitialMax(length)
                .startsFrom(start, java.time.Duration.ZERO)
                .setUnit("MiB", 1024 * 1024)
                .showSpeed()
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(err))
                .build();
    }

    private static String fileName(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.isEmpty() ? "index" : name;
    }
}
