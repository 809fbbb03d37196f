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
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * {@code cp URL FILE}: downloads a resource with parallel range requests, resuming a partial file.
 *
 * <p>The download runs a window at a time: {@code parallel} chunks are fetched together with
 * {@link RangeStream#fetchAll} (the engine sends them concurrently), then written at their offsets, so
 * memory stays bounded by the window. An existing shorter {@code FILE} is taken as the start of the
 * resource, as {@code curl -C -} does: only the rest is fetched; unless {@link PartialCopy its record}
 * says it is a copy of another version of the resource, which is started again.
 */
final class CpCommand implements Verb.Command {

    static final CliOption PARALLEL = CliOption.valued("N", "Range requests in flight at once, 1 to 32 (default: 4).",
            "-p", "--parallel");
    static final CliOption CHUNK_SIZE = CliOption.valued("SIZE", "Bytes per request, a multiple of 64k up to 64m,"
            + " e.g. 1m (default: 4m).", "--chunk-size");
    static final CliOption NO_RESUME = CliOption.flag("Start again from the first byte even if FILE exists.",
            "--no-resume");
    static final CliOption NO_PROGRESS = CliOption.flag("No progress bar (shown only when standard error is a"
            + " terminal).", "--no-progress");

    static final Verb VERB = new Verb("cp", "Download resources with parallel range requests, resuming.",
            "Download a resource to FILE with parallel range requests; a partial FILE is resumed. With several URLs"
                    + " (or -i), FILE is a directory and each is written to its file name there, --jobs at a time.",
            List.of(PARALLEL, CHUNK_SIZE, NO_RESUME, NO_PROGRESS, UrlArgument.INPUT, UrlArgument.JOBS),
            List.of(CliParameter.many("URL", "http(s) URLs."),
                    CliParameter.one("FILE", "Where to write (a directory: to the URL's file name there); resumed if"
                            + " it holds a prefix.")),
            CpCommand::new);

    private static final long DEFAULT_CHUNK = 4 * 1024 * 1024;
    private static final long MAX_CHUNK = 64 * 1024 * 1024;
    private static final long ALIGN = 64 * 1024;

    private RangeStreamsCommand root;
    private int parallel;
    private long chunk;
    private boolean noResume;

    @Override
    public int run(RangeStreamsCommand root, ParsedCommandLine line) throws IOException, InterruptedException {
        this.root = root;
        this.parallel = line.intValue(PARALLEL.key(), 4, 1, 32);
        String chunkSize = line.value(CHUNK_SIZE.key()).orElse(null);
        try {
            chunk = chunkSize == null ? DEFAULT_CHUNK : StoreOptions.parseSize("--chunk-size", chunkSize);
        } catch (IllegalArgumentException e) {
            throw line.usageError(e.getMessage());
        }
        if (chunk % ALIGN != 0 || chunk > MAX_CHUNK) {
            throw line.usageError("--chunk-size must be a multiple of 64k up to 64m, was " + chunkSize);
        }
        this.noResume = line.has(NO_RESUME.key());
        int last = line.positionals().size() - 1;
        Path target = Path.of(line.positional(last));
        List<URI> urls = UrlArgument.urls(new ParsedCommandLine(line.verb(), line.values(),
                line.positionals().subList(0, last)), 0, System.in);
        if (urls.size() > 1 && !Files.isDirectory(target)) {
            throw line.usageError("with several URLs, FILE names a directory; '" + target + "' is not one");
        }
        // The chunk is the engine's largest request, so one window of N chunks becomes N parallel requests
        // (otherwise the planner would coalesce the adjacent chunks into one). Block alignment is off so a
        // resumed copy asks for exactly the bytes after the partial file.
        root.session().tune(b -> b.blockSize(1).parallelism(parallel).maxRequestSize(chunk));
        boolean bar = urls.size() == 1 && !line.has(NO_PROGRESS.key());
        return UrlBatch.run(root, urls, UrlArgument.jobs(line), false, (stream, group) -> copy(stream, target, bar));
    }

    private void copy(RangeStream stream, Path target, boolean progress) throws IOException {
        URI url = stream.uri();
        Path file = Files.isDirectory(target) ? target.resolve(fileName(url)) : target;
        long have = !noResume && Files.isRegularFile(file) ? Files.size(file) : 0;
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
            return;
        }
        if (have > 0) {
            err.println("resuming " + file + " at " + have + " of " + length + " bytes");
        }
        if (!device) {
            PartialCopy.write(file, unchanged.version());
        }
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                ProgressBar bar = progress ? progressBar(err, url, length, have) : null) {
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

    private static ProgressBar progressBar(PrintStream err, URI url, long length, long start) {
        // Only on a terminal, and only when stderr is the process's own (not captured by a caller).
        if (System.console() == null || err != System.err) {
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

    /** The last segment of the URL's path, or {@code index}. */
    static String fileName(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.isEmpty() ? "index" : name;
    }
}
