package io.rangestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The info verb, the demo, the stats line, and how user errors are reported. */
class CommandLineInfoTest extends CommandLineFixture {

    @Nested
    class Info {
        @Test
        void printsLengthValidatorsAndFormatFromOneRequest() {
            CliRun run = CliRun.run("info", zip.toString(), "--stats");
            assertSucceeded(run);
            assertThat(run.text()).as(run.describe())
                    .contains("length:        " + server.length("/archive.zip"))
                    .contains("etag:          " + server.etag("/archive.zip"))
                    .contains("ranges:        honoured")
                    .contains("format:        zip");
            assertThat(server.requests("/archive.zip")).as("requests for info of " + zip).hasSize(1);
            assertThat(run.lastErrLine()).as(run.describe()).isEqualTo("stats: requests=1 bytes_fetched=0 bytes_from_store=0");
        }

        @Test
        void globalOptionsWorkBeforeTheVerbToo() {
            CliRun run = CliRun.run("--stats", "--transport", "jdk", "info", data.toString());
            assertSucceeded(run);
            assertThat(run.lastErrLine()).as(run.describe()).startsWith("stats: requests=1 ");
        }
    }

    @Nested
    class UserErrors {
        @Test
        void badUrlIsOneLine() {
            assertOneLineError(CliRun.run("info", "ftp://example.org/x"), 2, "not an http or https URL");
            assertOneLineError(CliRun.run("info", "example.org/x.zip"), 2, "try http://example.org/x.zip");
            assertOneLineError(CliRun.run("info", "http://bad host/"), 2, "is not a URL");
        }

        @Test
        void unknownTransportIsOneLineListingTheAvailable() {
            CliRun run = CliRun.run("info", "--transport", "carrier-pigeon", data.toString());
            assertOneLineError(run, 2, "unknown transport 'carrier-pigeon'");
            assertThat(run.err()).as(run.describe()).contains("jdk");
            assertThat(server.requests()).as("requests sent by " + run.describe()).isEmpty();
        }

        @Test
        void unknownTransportFromTheEnvironmentIsOneLine() {
            CliRun run = CliRun.run(Map.of("RANGESTREAMS_TRANSPORT", "nope"), "info", data.toString());
            assertOneLineError(run, 1, "unknown transport 'nope'");
        }

        @Test
        void malformedStoreSpecIsOneLine() {
            assertOneLineError(CliRun.run("info", "--store", "Memory!", data.toString()), 2, "store spec");
            assertOneLineError(CliRun.run("info", "--store", "floppy:/a", data.toString()), 2, "unknown store 'floppy'");
        }

        @Test
        void connectionRefusedIsOneLine() throws IOException {
            int closedPort;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                closedPort = s.getLocalPort();
            }
            assertOneLineError(CliRun.run("info", "http://127.0.0.1:" + closedPort + "/x"), 1,
                    "cannot connect to 127.0.0.1:" + closedPort);
        }

        @Test
        void unknownVerbAndMissingArgumentsAreUsageErrors() {
            assertOneLineError(CliRun.run("fetch", data.toString()), 2, "fetch");
            assertOneLineError(CliRun.run("cat", zip.toString()), 2, "MEMBER");
            assertOneLineError(CliRun.run(), 2, "no command given");
        }

        @Test
        void helpExitsZero() {
            CliRun run = CliRun.run("--help");
            assertSucceeded(run);
            assertThat(run.text()).as(run.describe()).contains("info", "get", "ls", "cat", "cp", "serve", "demo");
        }
    }

    @Nested
    class Demo {
        @Test
        void runsInfoLsAndCatOnLoopbackAndShowsTheCounts() {
            CliRun run = CliRun.run("demo", "--stats");
            assertSucceeded(run);
            String text = run.text();
            assertThat(text).as(run.describe())
                    .contains("$ range-streams info http://127.0.0.1:", "$ range-streams ls http://127.0.0.1:",
                            "$ range-streams cat http://127.0.0.1:", "ranges:        honoured", "images/noise.bin",
                            "Hello from range-streams!")
                    .containsPattern("-> 1 request, \\d+ bytes fetched")
                    .containsPattern("total: 3 requests, \\d+ bytes fetched = \\d+\\.\\d% of the 8\\.\\d MiB archive");
            assertThat(stats(run)[0]).as("requests in --stats of " + run.describe()).isEqualTo(3);
        }
    }

    @Test
    void statsLineIsPrintedWhenNothingWasFetched() {
        CliRun run = CliRun.run("--stats", "--help");
        assertThat(Arrays.asList(run.lastErrLine(), run.text())).as(run.describe()).isNotEmpty();
        assertThat(run.lastErrLine()).as(run.describe()).isEqualTo("stats: requests=0 bytes_fetched=0 bytes_from_store=0");
        assertThat(new String(run.out(), StandardCharsets.UTF_8)).as(run.describe()).contains("Usage:");
    }
}
