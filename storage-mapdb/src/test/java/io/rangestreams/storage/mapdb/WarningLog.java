package io.rangestreams.storage.mapdb;

import java.text.MessageFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects the warnings the store logs through {@link System.Logger} (backed by java.util.logging
 * when no other backend is present), so a test can see that a damaged piece was reported.
 */
final class WarningLog extends Handler implements AutoCloseable {

    private final Logger logger = Logger.getLogger("io.rangestreams.storage.mapdb");
    private final List<String> messages = new CopyOnWriteArrayList<>();

    WarningLog() {
        setLevel(Level.WARNING);
        logger.addHandler(this);
    }

    List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            messages.add(MessageFormat.format(record.getMessage(),
                    record.getParameters() == null ? new Object[0] : record.getParameters()));
        }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
