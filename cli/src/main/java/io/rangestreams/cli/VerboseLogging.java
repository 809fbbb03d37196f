package io.rangestreams.cli;

import java.io.PrintStream;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * With {@code --verbose}, shows the library's debug log (what each request was for) on standard error,
 * one line per record. The library logs through {@link System.Logger}, which the JDK routes to
 * {@code java.util.logging} by default; closing restores the previous level.
 */
final class VerboseLogging implements AutoCloseable {

    private static final String ROOT = "io.rangestreams";

    private final Logger logger;
    private final Handler handler;
    private final Level previousLevel;
    private final boolean previousUseParent;

    private VerboseLogging(Logger logger, Handler handler) {
        this.logger = logger;
        this.handler = handler;
        this.previousLevel = logger == null ? null : logger.getLevel();
        this.previousUseParent = logger == null || logger.getUseParentHandlers();
    }

    /** Turns the debug log on when {@code enabled}; otherwise changes nothing. */
    static VerboseLogging enable(boolean enabled, PrintStream err) {
        if (!enabled) {
            return new VerboseLogging(null, null);
        }
        Logger logger = Logger.getLogger(ROOT);
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (isLoggable(record)) {
                    String msg = record.getMessage();
                    Object[] params = record.getParameters();
                    if (params != null && params.length > 0 && msg != null && msg.contains("{0")) {
                        msg = java.text.MessageFormat.format(msg, params);
                    }
                    err.println("debug: [" + Thread.currentThread().getName() + "] " + msg);
                }
            }

            @Override
            public void flush() {
                err.flush();
            }

            @Override
            public void close() {
                flush();
            }
        };
        handler.setLevel(Level.ALL);
        VerboseLogging v = new VerboseLogging(logger, handler);
        logger.setLevel(Level.FINE);
        logger.setUseParentHandlers(false);
        logger.addHandler(handler);
        return v;
    }

    @Override
    public void close() {
        if (logger != null) {
            logger.removeHandler(handler);
            logger.setLevel(previousLevel);
            logger.setUseParentHandlers(previousUseParent);
        }
    }
}
