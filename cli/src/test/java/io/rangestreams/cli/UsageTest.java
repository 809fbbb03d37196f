package io.rangestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Help, usage errors (exit 2, one line naming the verb's help) and hints, in-process; no server needed. */
class UsageTest {

    private static void assertUsageError(CliRun run, String containing) {
        assertThat(run.status()).as(run.describe()).isEqualTo(Main.EXIT_USAGE);
        assertThat(run.errLines()).as(run.describe()).hasSize(1);
        assertThat(run.err()).as(run.describe()).startsWith("range-streams: ").contains(containing);
    }

    @Nested
    class Help {
        @Test
        void helpVerbShowsThatVerbsOptions() {
            CliRun run = CliRun.run("help", "get");
            assertThat(run.status()).as(run.describe()).isZero();
            assertThat(run.text()).as(run.describe()).startsWith("Usage: range-streams get [OPTIONS] URL...")
                    .contains("-r, --range RANGE", "-o, --output FILE", "-i, --input FILE", "--jobs N");
        }

        @Test
        void verbHelpOptionEqualsHelpVerb() {
            for (String verb : new String[] {"info", "get", "ls", "cat", "cp", "serve", "demo"}) {
                CliRun a = CliRun.run("help", verb);
                CliRun b = CliRun.run(verb, "--help");
                assertThat(b.text()).as(b.describe()).isEqualTo(a.text()).startsWith("Usage: range-streams " + verb);
            }
        }

        @Test
        void usageNamesTheCommandOnce() {
            CliRun run = CliRun.run("--help");
            assertThat(run.text()).as(run.describe()).startsWith("Usage: range-streams [OPTIONS] VERB")
                    .doesNotContain("range-streams range-streams");
            CliRun bad = CliRun.run("ls", "--nope");
            assertThat(bad.err()).as(bad.describe()).contains("(see 'range-streams help ls')")
                    .doesNotContain("range-streams range-streams");
        }

        @Test
        void helpOfAnUnknownVerbIsAUsageError() {
            assertUsageError(CliRun.run("help", "fetch"), "unknown verb 'fetch'");
        }

        @Test
        void versionPrintsTheVersion() {
            CliRun run = CliRun.run("--version");
            assertThat(run.text()).as(run.describe()).startsWith("range-streams ");
        }
    }

    @Nested
    class UsageErrors {
        @Test
        void badPortIsAUsageError() {
            assertUsageError(CliRun.run("serve", ".", "--port", "http"), "--port must be a whole number");
            assertUsageError(CliRun.run("serve", ".", "--port", "70000"), "from 0 to 65535");
        }

        @Test
        void badJobsAndParallelAreUsageErrors() {
            assertUsageError(CliRun.run("ls", "--jobs", "0", "http://127.0.0.1:9/a.zip"), "--jobs");
            assertUsageError(CliRun.run("cp", "-p", "99", "http://127.0.0.1:9/a.zip", "a.zip"), "--parallel");
            assertUsageError(CliRun.run("cp", "--chunk-size", "100k", "http://127.0.0.1:9/a.zip", "a.zip"),
                    "--chunk-size");
        }

        @Test
        void unknownOptionAndMissingValueAreUsageErrors() {
            assertUsageError(CliRun.run("get", "http://127.0.0.1:9/a", "--rnage", "0-9"), "unknown option '--rnage'");
            assertUsageError(CliRun.run("get", "http://127.0.0.1:9/a", "-r"), "option '-r' needs a value");
            assertUsageError(CliRun.run("cat", "http://127.0.0.1:9/a.zip", "a", "b"), "unexpected argument 'b'");
        }

        @Test
        void noUrlIsAUsageError() {
            assertUsageError(CliRun.run("ls"), "no URL given");
        }

        @Test
        void unreadableCacertIsAUsageError(@TempDir Path dir) {
            assertUsageError(CliRun.run("--cacert", dir.resolve("none.pem").toString(), "info", "https://127.0.0.1:9/"),
                    "--cacert: cannot read");
        }
    }

    @Nested
    class LocalPaths {
        @Test
        void aLocalPathGetsAHintThatServesItsDirectory(@TempDir Path dir) throws Exception {
            Path zip = Files.write(dir.resolve("local.zip"), new byte[] {1});
            for (String given : new String[] {zip.toString(), zip.toUri().toString()}) {
                CliRun run = CliRun.run("ls", given);
                assertUsageError(run, "is a local path");
                assertThat(run.err()).as(run.describe())
                        .contains("'range-streams serve " + dir.toAbsolutePath() + "'")
                        .contains("http://127.0.0.1:8080/local.zip")
                        .doesNotContain("http:///");
            }
        }

        @Test
        void theHintsUrlIsEncoded(@TempDir Path dir) throws Exception {
            Path file = Files.write(dir.resolve("my file.zip"), new byte[] {1});
            CliRun run = CliRun.run("ls", file.toString());
            assertUsageError(run, "http://127.0.0.1:8080/my%20file.zip");
        }

        @Test
        void aHostWithoutSchemeStillGetsTheHttpHint() {
            assertUsageError(CliRun.run("info", "example.org/x.zip"), "try http://example.org/x.zip");
        }
    }

    @Test
    void parsesAttachedValuesAndTheEndOfOptions() {
        CommandLineParser parser = RangeStreamsCommand.parser();
        ParsedCommandLine line = parser.parse("get", "-r0-9", "--range=-5", "--stats", "--", "-odd-name");
        assertThat(line.values("--range")).as("ranges of %s", line).containsExactly("0-9", "-5");
        assertThat(line.has("--stats")).as("--stats of %s", line).isTrue();
        assertThat(line.positionals()).as("positionals of %s", line).containsExactly("-odd-name");
    }
}
