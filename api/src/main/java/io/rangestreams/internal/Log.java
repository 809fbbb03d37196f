package io.rangestreams.internal;

import java.lang.System.Logger.Level;
import java.util.Objects;

/**
 * The library's logging, through {@link System.Logger}: the logger of a class is looked up when it first
 * has something to log, not when the class is loaded. With the system property {@value #DEBUG_PROPERTY}
 * set to {@code false}, debug messages are dropped without asking any logger, so a program that logs
 * nothing else never starts the logging backend, whose lookup of a {@link System.LoggerFinder} service
 * reads the index of every jar on the class path. The command line sets it; applications need not.
 */
public final class Log {

    /** The system property that, set to {@code false}, drops debug messages before any logger is asked. */
    public static final String DEBUG_PROPERTY = "rangestreams.debugLog";

    private static final boolean DEBUG = !"false".equalsIgnoreCase(System.getProperty(DEBUG_PROPERTY));

    private final String name;
    private volatile System.Logger logger;

    private Log(String name) {
        this.name = name;
    }

    /** The log of {@code type}, named after it. */
    public static Log of(Class<?> type) {
        return new Log(Objects.requireNonNull(type, "type").getName());
    }

    /** Logs at {@link Level#DEBUG}, in {@link java.text.MessageFormat} form, unless debug messages are off. */
    public void debug(String format, Object... params) {
        if (DEBUG) {
            logger().log(Level.DEBUG, format, params);
        }
    }

    /** Logs at {@link Level#WARNING}, with what was thrown. */
    public void warning(String message, Throwable thrown) {
        logger().log(Level.WARNING, message, thrown);
    }

    private System.Logger logger() {
        System.Logger l = logger;
        if (l == null) {
            l = System.getLogger(name);
            logger = l;
        }
        return l;
    }
}
