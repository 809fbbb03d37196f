package io.rangestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.tck.RangeServer.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The get verb: ranges, output files, resumption and the requests it sends. */
class CommandLineGetTest extends CommandLineFixture {

    @Nested
    class Get {
        @Test
        void writesTheWholeResource() {
            CliRun run = CliRun.run("get", data.toString());
            assertSucceeded(run);
            assertSameBytes(run.out(), server.expected("/data.bin", Range.of(0, 1_000_000)), run.describe());
        }

        @Test
        void rangeIsInclusiveAsInHttp() {
            CliRun run = CliRun.run("get", "--range", "1000-1099", data.toString());
            assertSucceeded(run);
            assertSameBytes(run.out(), server.expected("/data.bin", Range.of(1000, 1100)), run.describe());
        }

        @Test
        void openRangeRunsToTheEnd() {
            CliRun run = CliRun.run("get", "--range", "999990-", data.toString());
            assertSucceeded(run);
            assertSameBytes(run.out(), server.expected("/data.bin", Range.of(999_990, 1_000_000)), run.describe());
        }

        @Test
        void suffixRangeReadsTheLastBytesInOneRequest() {
            CliRun run = CliRun.run("get", "--range", "-10", data.toString(), "--stats");
            assertSucceeded(run);
            assertSameBytes(run.out(), server.expected("/data.bin", Range.suffix(10)), run.describe());
            List<RecordedRequest> log = server.requests("/data.bin");
            assertThat(log).as("requests for " + run.describe()).hasSize(1);
            assertThat(log.get(0).range()).as("Range header of " + run.describe()).hasValueSatisfying(
                    h -> assertThat(h).startsWith("bytes=-"));
            assertThat(stats(run)[0]).as("requests in --stats of " + run.describe()).isEqualTo(1);
        }

        @Test
        void rangeRunningPastTheEndIsCutAtTheEnd() {
            CliRun run = CliRun.run("get", "--range", "999999-2000000", data.toString());
            assertSucceeded(run);
            assertSameBytes(run.out(), server.expected("/data.bin", Range.of(999_999, 1_000_000)), run.describe());
        }

        @Test
        void writesToAFileWithDashO(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("part.bin");
            CliRun run = CliRun.run("get", "-r", "0-99", "-o", file.toString(), data.toString());
            assertSucceeded(run);
            assertThat(run.out()).as("stdout of " + run.describe()).isEmpty();
            assertThat(Files.readAllBytes(file)).as(run.describe()).isEqualTo(server.expected("/data.bin", Range.of(0, 100)));
        }

        @Test
        void aLargeResourceStreamsInFewRequestsEachByteOnce(@TempDir Path dir) throws IOException {
            long size = 48L * 1024 * 1024 + 12_345;
            URI large = server.add("/large.bin", size);
            Path file = dir.resolve("large.bin");
            CliRun run = CliRun.run("get", "-o", file.toString(), large.toString(), "--stats");
            assertSucceeded(run);
            assertSameBytes(Files.readAllBytes(file), server.expected("/large.bin", Range.of(0, size)), run.describe());
            // 4 MiB windows one after another took 13 requests, each waited for; the readahead
            // overlaps the requests, and each byte crosses the network once.
            assertThat(server.bytesServed("/large.bin")).as("bytes served for " + run.describe()).isEqualTo(size);
            assertThat(stats(run)[0]).as("requests in --stats of " + run.describe()).isLessThanOrEqualTo(12);
        }

        @Test
        void severalRangesAreFetchedTogetherAndWrittenInOrder() {
            CliRun run = CliRun.run("get", "-r", "500000-500099", "-r", "0-9", "-r", "-10", "-r", "600000-600009",
                    data.toString(), "--stats");
            assertSucceeded(run);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (Range r : List.of(Range.of(500_000, 500_100), Range.of(0, 10), Range.suffix(10), Range.of(600_000, 600_010))) {
                expected.writeBytes(server.expected("/data.bin", r));
            }
            assertSameBytes(run.out(), expected.toByteArray(), run.describe());
            // The first range alone teaches the length (a range from the end is among them), then the other three
            // go in one multi-range request.
            assertThat(server.requests("/data.bin")).as("requests for " + run.describe()).extracting(r -> r.range().orElse(""))
                    .containsExactly("bytes=500000-500099", "bytes=0-9,600000-600009,999990-999999");
            assertThat(stats(run)[0]).as("requests in --stats of " + run.describe()).isEqualTo(2);
        }

        @Test
        void severalRangesGoAsOneRequestAndAreWrittenInOrder() {
            CliRun run = CliRun.run("get", "-r", "700000-700099", "-r", "10-19", "-r", "400000-400009", data.toString(),
                    "--stats");
            assertSucceeded(run);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (Range r : List.of(Range.of(700_000, 700_100), Range.of(10, 20), Range.of(400_000, 400_010))) {
                expected.writeBytes(server.expected("/data.bin", r));
            }
            assertSameBytes(run.out(), expected.toByteArray(), run.describe());
            assertThat(server.requests("/data.bin")).as("requests for " + run.describe()).extracting(r -> r.range().orElse(""))
                    .containsExactly("bytes=10-19,400000-400009,700000-700099");
            assertThat(stats(run)[0]).as("requests in --stats of " + run.describe()).isEqualTo(1);
        }

        @Test
        void oneRangePastTheEndAmongSeveralFailsBeforeWritingAnything() {
            CliRun run = CliRun.run("get", "-r", "0-9", "-r", "2000000-2000010", data.toString());
            assertOneLineError(run, 1, "range not satisfiable");
            assertThat(run.out()).as("stdout of " + run.describe()).isEmpty();
        }

        @Test
        void aResourceChangingHalfWayIsAnErrorNotAMixedOutput(@TempDir Path dir) throws IOException {
            String path = "/changing.bin";
            long size = 64L * 1024 * 1024;
            URI changing = server.add(path, size);
            byte[] v1 = server.expected(path, Range.of(0, 6 * 1024 * 1024));
            // Standard output that changes the file on the server once 6 MiB have been written to it.
            ByteArrayOutputStream written = new ByteArrayOutputStream();
            OutputStream changeAt6MiB = new OutputStream() {
                @Override
                public void write(int b) {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    boolean crossing = written.size() < v1.length && written.size() + len >= v1.length;
                    written.write(b, off, len);
                    if (crossing) {
                        server.change(path);
                    }
                }
            };
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status;
            try (PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                status = new Main(changeAt6MiB, StandardCharsets.UTF_8, e, Map.of()).execute("get", changing.toString());
            }
            String error = err.toString(StandardCharsets.UTF_8);
            assertThat(status).as("exit status of get while the file changed (stderr: %s)", error).isEqualTo(1);
            assertThat(error).as("stderr of get while the file changed").startsWith("range-streams: ")
                    .contains("changed on the server while it was written");
            assertThat(Arrays.copyOf(written.toByteArray(), v1.length)).as("the first 6 MiB written, of the old version")
                    .isEqualTo(v1);

            Path file = dir.resolve("changing.bin");
            server.clearLog();
            CliRun again = CliRun.run("get", "-o", file.toString(), changing.toString());
            assertSucceeded(again);
            assertThat(Files.size(file)).as("size after " + again.describe()).isEqualTo(size);
        }

        @Test
        void writesIntoAPipeWithoutReplacingIt(@TempDir Path dir) throws Exception {
            Path fifo = dir.resolve("pipe");
            Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
            org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo is needed to make a named pipe");
            java.util.concurrent.CompletableFuture<byte[]> read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return Files.readAllBytes(fifo);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            CliRun run = CliRun.run("get", "-r", "0-99999", "-o", fifo.toString(), data.toString());
            assertSucceeded(run);
            assertThat(read.get()).as("bytes read from the pipe written by " + run.describe())
                    .isEqualTo(server.expected("/data.bin", Range.of(0, 100_000)));
            assertThat(Files.isRegularFile(fifo)).as("%s replaced the pipe with a file", run.describe()).isFalse();
            assertThat(dir.resolve("pipe.part-get")).as("temporary file beside the pipe").doesNotExist();
        }

        @Test
        void statsLineCountsWhatTheServerSaw() {
            CliRun run = CliRun.run("get", "--range", "0-99", data.toString(), "--stats");
            assertSucceeded(run);
            long[] s = stats(run);
            assertThat(s[0]).as("requests in --stats of " + run.describe())
                    .isEqualTo(server.requests("/data.bin").size());
            assertThat(s[1]).as("bytes_fetched in --stats of " + run.describe())
                    .isEqualTo(server.bytesServed("/data.bin"));
            assertThat(s[2]).as("bytes_from_store in --stats of " + run.describe()).isLessThanOrEqualTo(100);
        }

        @Test
        void rangePastTheEndIsOneLineAndExitOne() {
            CliRun run = CliRun.run("get", "--range", "2000000-2000010", data.toString(), "--stats");
            assertThat(run.status()).as(run.describe()).isEqualTo(1);
            assertThat(run.errLines()).as(run.describe()).hasSize(2);
            assertThat(run.errLines().get(0)).as(run.describe()).startsWith("range-streams: range not satisfiable")
                    .contains("length 1000000");
            assertThat(run.lastErrLine()).as("--stats is last even after an error: " + run.describe())
                    .startsWith("stats: ");
        }

        @Test
        void notFoundIsOneLineAndExitOne() {
            assertOneLineError(CliRun.run("get", server.uri("/missing.bin").toString()), 1, "404");
        }

        @Test
        void verboseShowsEachRequest() {
            CliRun run = CliRun.run("get", "-v", "-r", "0-99", data.toString(), "--stats");
            assertSucceeded(run);
            assertThat(run.err()).as(run.describe())
                    .containsPattern("debug: GET " + data + " bytes=0-99 \\(fetch, apache\\) -> 206, 100 bytes in \\d+ ms");
            assertThat(run.lastErrLine()).as(run.describe()).isEqualTo("stats: requests=1 bytes_fetched=100 bytes_from_store=100");
        }

        @Test
        void verboseShowsTheStackTrace() {
            CliRun run = CliRun.run("get", "--verbose", server.uri("/missing.bin").toString());
            assertThat(run.status()).as(run.describe()).isEqualTo(1);
            assertThat(run.err()).as(run.describe()).contains("HttpStatusException").contains("\tat ");
        }

        @Test
        void malformedRangeIsAUsageError() {
            assertOneLineError(CliRun.run("get", "--range", "9-3", data.toString()), 2, "invalid range '9-3'");
            assertOneLineError(CliRun.run("get", "--range", "abc", data.toString()), 2, "invalid range 'abc'");
        }
    }
}
