package io.rangestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Verbs driven in-process through {@link Main#execute}, against a {@link RangeServer} on loopback that
 * each test class starts and stops, with the assertions the tests share.
 */
abstract class CommandLineFixture {

    static final Pattern STATS = Pattern.compile(
            "stats: requests=(\\d+) bytes_fetched=(\\d+) bytes_from_store=(\\d+)");
    static final Map<String, byte[]> MEMBERS = TestArchives.members();

    static RangeServer server;
    static URI data;
    static URI zip;
    static URI tar;
    static URI unnamedZip;

    @BeforeAll
    static void start() throws IOException {
        server = RangeServer.start();
        data = server.add("/data.bin", 1_000_000);
        zip = server.add("/archive.zip", TestArchives.zip(MEMBERS));
        tar = server.add("/archive.tar", TestArchives.tar(MEMBERS));
        unnamedZip = server.add("/download", TestArchives.zip(MEMBERS));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void clearLog() {
        server.clearLog();
    }

    static void assertSucceeded(CliRun run) {
        assertThat(run.status()).as(run.describe()).isZero();
    }

    /** Asserts a failure reported as exactly one line on stderr, without a stack trace. */
    static void assertOneLineError(CliRun run, int status, String containing) {
        assertThat(run.status()).as(run.describe()).isEqualTo(status);
        assertThat(run.errLines()).as(run.describe()).hasSize(1);
        assertThat(run.err()).as(run.describe()).startsWith("range-streams: ").contains(containing)
                .doesNotContain("\tat ").doesNotContain("Exception");
    }

    /** Compares bytes without printing megabytes when they differ. */
    static void assertSameBytes(byte[] actual, byte[] expected, String what) {
        assertThat(actual.length).as("length of " + what).isEqualTo(expected.length);
        assertThat(Arrays.mismatch(actual, expected)).as("first differing byte of " + what).isEqualTo(-1);
    }

    /** The counters of the --stats line, which must be the last line on stderr. */
    static long[] stats(CliRun run) {
        Matcher m = STATS.matcher(run.lastErrLine());
        assertThat(m.matches()).as("last stderr line of " + run.describe()).isTrue();
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
    }
}
