package io.rangestreams.cli;

import io.rangestreams.BatchListener;
import io.rangestreams.BatchProgress;
import io.rangestreams.BatchRun;
import io.rangestreams.Outcome;
import io.rangestreams.RangeStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Runs a verb over the URLs of one command line. One URL runs as it always did: straight to the
 * output, its failure the command's. Several run through the client's {@link io.rangestreams.Batch},
 * {@code jobs} at a time, each into its own buffer; the groups are written in the order given (a
 * {@code ==> URL <==} line before each, as {@code head} does), a failed URL is listed on standard error
 * at the end, and the exit status is 1 if any failed. An output error cancels the batch.
 */
final class UrlBatch {

    /** The work on one URL's stream, writing its text to {@code out}. */
    interface Task {
        void run(RangeStream stream, PrintStream out) throws IOException;
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
        CliSession session = root.session();
        if (urls.size() == 1) {
            task.run(session.open(urls.get(0)), root.out());
            return 0;
        }
        AtomicReference<BatchRun<byte[]>> running = new AtomicReference<>();
        List<Outcome<byte[]>> outcomes;
        try (ProgressBar bar = progressBar(root, urls.size()).orElse(null)) {
            BatchListener listener = bar == null ? BatchListener.NONE : new BatchListener() {
                @Override
                public void finished(Outcome<?> outcome, BatchProgress progress) {
                    bar.stepTo(progress.done());
                }
            };
            BatchRun<byte[]> run = session.client().batch().withJobs(jobs).withListener(listener)
                    .start(urls, stream -> {
                        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                        try (PrintStream group = new PrintStream(buffer, false, StandardCharsets.UTF_8)) {
                            root.output().check(); // the reader has gone: start nothing more
                            task.run(stream, group);
                        } catch (OutputException e) {
                            Optional.ofNullable(running.get()).ifPresent(BatchRun::cancel);
                            throw e;
                        }
                        return buffer.toByteArray();
                    });
            running.set(run);
            outcomes = run.await();
        }
        List<String> failures = new ArrayList<>();
        PrintStream out = root.out();
        boolean first = true;
        for (Outcome<byte[]> outcome : outcomes) {
            if (outcome instanceof Outcome.Success<byte[]> s) {
                if (headers) {
                    out.println((first ? "" : System.lineSeparator()) + "==> " + s.uri() + " <==");
                }
                first = false;
                out.print(new String(s.value(), StandardCharsets.UTF_8));
                root.output().check();
            } else if (outcome instanceof Outcome.Failure<byte[]> f) {
                Optional<OutputException> broken = ErrorReport.find(f.error(), OutputException.class);
                if (broken.isPresent()) {
                    throw broken.get();
                }
                failures.add(f.uri() + ": " + ErrorReport.describe(f.error(), Optional.of(f.uri())));
            }
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
