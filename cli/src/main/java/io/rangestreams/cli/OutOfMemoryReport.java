package io.rangestreams.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Ends the process with one line when any thread runs out of memory, instead of a stack trace from
 * each thread that fails next. The line is made when the report is installed: once the heap is full,
 * making it (or loading a class to make it) would fail again.
 */
final class OutOfMemoryReport {

    private static volatile byte[] line;
    private static volatile PrintStream stream;

    private OutOfMemoryReport() {}

    /** Prepares the line and installs the handler for uncaught throwables of every thread. */
    static void install(PrintStream err) {
        stream = err;
        line = (RangeStreamsCommand.NAME + ": out of memory (the Java heap is "
                + ByteCount.format(Runtime.getRuntime().maxMemory()) + "; give a smaller store, e.g. --store"
                + " memory?maxBytes=16m, or more heap, e.g. RANGESTREAMS_JAVA_OPTS=-Xmx1g)" + System.lineSeparator())
                .getBytes(StandardCharsets.UTF_8);
        try {
            // Halting initializes java.lang.Shutdown, which allocates: done now, while there is memory for it.
            Class.forName("java.lang.Shutdown");
        } catch (ClassNotFoundException e) {
            // a JDK without it halts all the same
        }
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (isOutOfMemory(e)) {
                reportAndHalt();
            } else if (previous != null) {
                previous.uncaughtException(thread, e);
            } else {
                thread.getThreadGroup().uncaughtException(thread, e);
            }
        });
    }

    /** Whether {@code e} or one of its causes is an {@link OutOfMemoryError}; allocates nothing. */
    static boolean isOutOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@link #install} ran: only then does an out-of-memory end the process. */
    static boolean installed() {
        return line != null;
    }

    /**
     * Writes the line and ends the process with status 1 at once (no shutdown hooks, nothing allocated).
     * Threads that run out of memory together wait here while the first writes the one line.
     */
    static void reportAndHalt() {
        synchronized (OutOfMemoryReport.class) {
            try {
                stream.write(line, 0, line.length);
                stream.flush();
            } finally {
                Runtime.getRuntime().halt(Main.EXIT_FAILURE);
            }
        }
    }
}
