package io.rangestreams.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Runs a verb over the URLs of one command line. One URL runs as it always did: straight to the
 * output, its failure the command's. Several run {@code jobs} at a time, each into its own buffer;
 * the groups are written in the order given (a {@code ==> URL <==} line before each, as {@code head}
 * does), a failed URL is listed on standard error at the end, and the exit status is 1 if any failed.
 */
final class UrlBatch {

    /** The work on one URL, writing its text to {@code out}. */
    interface Task {
        void run(URI uri, PrintStream out) throws IOException;
    }

    private UrlBatch() {}

    /**
     * Runs {@code task} over {@code urls}.
     *
     * @param jobs how many URLs at once
     * @param headers whether each URL's output is headed by a {@code ==> URL <==} line
     * @return the exit status
     * @throws IOException the failure of a single URL, or an output error
     */
    static int run(RangeStreamsCommand root, List<URI> urls, int jobs, boolean headers, Task task)
            throws IOException, InterruptedException {
        if (urls.size() == 1) {
            task.run(urls.get(0), root.out());
            return 0;
        }
        PrintStream out = root.out();
        List<String> failures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, urls.size()), r -> {
            Thread t = new Thread(r, "range-streams-url");
            t.setDaemon(true);
            return t;
        });
        try (ProgressBar bar = progressBar(root, urls.size()).orElse(null)) {
            List<Future<byte[]>> results = new ArrayList<>();
            for (URI uri : urls) {
                results.add(pool.submit(() -> {
                    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                    try (PrintStream group = new PrintStream(buffer, false, StandardCharsets.UTF_8)) {
                        task.run(uri, group);
                    } finally {
                        if (bar != null) {
                            bar.step();
                        }
                    }
                    return buffer.toByteArray();
                }));
            }
            for (int i = 0; i < urls.size(); i++) {
                URI uri = urls.get(i);
                try {
                    byte[] group = results.get(i).get();
                    if (headers) {
                        out.println((i == 0 ? "" : System.lineSeparator()) + "==> " + uri + " <==");
                    }
                    out.print(new String(group, StandardCharsets.UTF_8));
                    root.output().check();
                } catch (ExecutionException e) {
                    Optional<OutputException> broken = ErrorReport.find(e, OutputException.class);
                    if (broken.isPresent()) {
                        throw broken.get();
                    }
                    failures.add(uri + ": " + ErrorReport.describe(e.getCause(), Optional.of(uri)));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        root.output().flush();
        failures.forEach(f -> root.err().println(RangeStreamsCommand.NAME + ": " + f));
        if (!failures.isEmpty()) {
            root.err().println(RangeStreamsCommand.NAME + ": " + failures.size() + " of " + urls.size()
                    + " URLs failed");
        }
        return failures.isEmpty() ? 0 : Main.EXIT_FAILURE;
    }

    /** One bar for the batch, on a terminal only (and only when standard error is the process's own). */
    private static Optional<ProgressBar> progressBar(RangeStreamsCommand root, int urls) {
        if (System.console() == null || root.err() != System.err) {
            return Optional.empty();
        }
        return Optional.of(new ProgressBarBuilder()
                .setTaskName("URLs")
                .setInitialMax(urls)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(root.err()))
                .build());
    }
}
