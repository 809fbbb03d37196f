package io.rangestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line's logger: one line per warning or error, nothing below. */
class WarningLoggerFinderTest {

    @Test
    void theJdkFindsItAsTheLoggerFinderOfTheClassPath() {
        assertThat(System.LoggerFinder.getLoggerFinder()).as("the LoggerFinder the JDK loaded as a service")
                .isInstanceOf(WarningLoggerFinder.class);
        assertThat(System.getLogger("io.rangestreams.test").isLoggable(System.Logger.Level.DEBUG))
                .as("debug through System.getLogger").isFalse();
    }

    @Test
    void writesWarningsAndErrorsAsOneLineAndDropsTheRest() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        System.Logger log = new WarningLoggerFinder.WarningLogger("io.rangestreams.test", err);
        log.log(System.Logger.Level.DEBUG, "GET {0}", "http://127.0.0.1/f.bin");
        log.log(System.Logger.Level.INFO, "informational");
        log.log(System.Logger.Level.WARNING, "event listener {0} threw", "L");
        log.log(System.Logger.Level.ERROR, "failed", new IllegalStateException("broken"));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).as("what the logger wrote").isEqualTo(
                "range-streams: warning: event listener L threw" + System.lineSeparator()
                        + "range-streams: error: failed: java.lang.IllegalStateException: broken"
                        + System.lineSeparator());
    }
}
