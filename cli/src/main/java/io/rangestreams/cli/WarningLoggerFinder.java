package io.rangestreams.cli;

import java.io.PrintStream;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.ResourceBundle;

/**
 * The {@link System.LoggerFinder} of the command line: warnings and errors logged through
 * {@link System.Logger} (by the library, or the JDK) are one line each on standard error, prefixed with
 * the command's name; the rest is dropped, as {@code --verbose} shows the requests instead. Registered as
 * a service in the command line's jar, so the JDK does not start {@code java.util.logging} (reading its
 * configuration and building its handlers) in every run.
 */
public final class WarningLoggerFinder extends System.LoggerFinder {

    /** Required by {@link java.util.ServiceLoader}. */
    public WarningLoggerFinder() {}

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new WarningLogger(Objects.requireNonNull(name, "name"), System.err);
    }

    /** A logger that writes warnings and errors as one line each. */
    static final class WarningLogger implements System.Logger {
        private final String name;
        private final PrintStream err;

        WarningLogger(String name, PrintStream err) {
            this.name = name;
            this.err = err;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            return level != Level.OFF && level.getSeverity() >= Level.WARNING.getSeverity();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            if (isLoggable(level)) {
                write(level, message + (thrown == null ? "" : ": " + thrown));
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                write(level, params == null || params.length == 0 ? format : MessageFormat.format(format, params));
            }
        }

        private void write(Level level, String text) {
            err.println(RangeStreamsCommand.NAME + ": " + level.getName().toLowerCase(Locale.ROOT) + ": "
                    + text);
        }
    }
}
