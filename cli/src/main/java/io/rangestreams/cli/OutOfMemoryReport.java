package io.rangestreams.cli;

import java.io.PrintStream;

/**
 * Ends the process with one line when a thread other than the command's runs out of memory (a fetch
 * thread, say), instead of a stack trace from each thread that fails next. The command's own thread
 * reports its failures through {@link Main}.
 */
final class OutOfMemoryReport {

    private OutOfMemoryReport() {}

    /** Installs the handler for uncaught throwables of every thread. */
    static void install(PrintStream err) {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (ErrorReport.find(e, OutOfMemoryError.class).isPresent()) {
                err.println(RangeStreamsCommand.NAME + ": " + ErrorReport.describe(e, java.util.Optional.empty()));
                err.flush();
                Runtime.getRuntime().halt(Main.EXIT_FAILURE);
            } else if (previous != null) {
                previous.uncaughtException(thread, e);
            } else {
                thread.getThreadGroup().uncaughtException(thread, e);
            }
        });
    }
}
