package io.rangestreams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.MessageFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The library's log reaches {@link System.Logger}, here backed by java.util.logging: debug messages
 * (when {@value Log#DEBUG_PROPERTY} is not {@code false}, as in this JVM) and warnings with what was thrown.
 */
class LogTest {

    @Test
    void debugMessagesAndWarningsReachTheSystemLoggerOfTheClass() {
        Logger jul = Logger.getLogger(LogTest.class.getName());
        List<String> seen = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                Object[] params = r.getParameters() == null ? new Object[0] : r.getParameters();
                seen.add(r.getLevel() + " " + MessageFormat.format(r.getMessage(), params)
                        + (r.getThrown() == null ? "" : " / " + r.getThrown().getMessage()));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Level before = jul.getLevel();
        jul.setLevel(Level.ALL);
        jul.addHandler(handler);
        try {
            Log log = Log.of(LogTest.class);
            log.debug("GET {0} ({1} ranges in one request)", "http://127.0.0.1/f.bin", 3);
            log.warning("event listener L threw", new IllegalStateException("broken"));
        } finally {
            jul.removeHandler(handler);
            jul.setLevel(before);
        }
        assertThat(seen).as("records the JUL logger of the class received").containsExactly(
                "FINE GET http://127.0.0.1/f.bin (3 ranges in one request)",
                "WARNING event listener L threw / broken");
    }
}
