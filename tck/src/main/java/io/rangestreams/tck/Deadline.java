package io.rangestreams.tck;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a step that a broken backend could hang (a transport that ignores its read timeout, a
 * deadlock) on its own daemon thread, so the rule fails with a message instead of stalling the run.
 */
final class Deadline {

    private Deadline() {}

    /**
     * The step's result, or an {@link AssertionError} saying {@code what} did not finish within
     * {@code limit}. Exceptions of the step are rethrown as they are (unchecked) or wrapped.
     */
    static <T> T within(Duration limit, String what, Callable<T> step) throws Exception {
        FutureTask<T> task = new FutureTask<>(step);
        Thread thread = new Thread(task, "tck-deadline");
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            thread.interrupt();
            throw new AssertionError(what + " did not finish within " + limit.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** An I/O step, for {@link #ioFailureWithin}. */
    @FunctionalInterface
    interface IoStep {
        void run() throws IOException;
    }

    /**
     * The {@link IOException} the step throws, or null if it finishes without one; an
     * {@link AssertionError} if it does not finish within {@code limit} (see {@link #within}).
     */
    static IOException ioFailureWithin(Duration limit, String what, IoStep step) throws Exception {
        return within(limit, what, () -> {
            try {
                step.run();
                return null;
            } catch (IOException e) {
                return e;
            }
        });
    }
}
