package io.rangestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.spi.ResourceVersion;
import io.rangestreams.storage.mapdb.MapDbRangeStore;
import io.rangestreams.tck.RangeServer;
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
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every verb driven in-process through {@link Main#execute}, against {@link RangeServer} on loopback. */
class CommandLineTest {

    private static final Pattern STATS = Pattern.compile(
            "stats: requests=(\\d+) bytes_fetched=(\\d+) bytes_from_store=(\\d+)");
    private static final Map<String, byte[]> MEMBERS = TestArchives.members();

    private static RangeServer server;
    private static URI data;
    private static URI zip;
    private static URI tar;
    private static URI unnamedZip;

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

    private static void assertSucceeded(CliRun run) {
        assertThat(run.status()).as(run.describe()).isZero();
    }

    /** Asserts a failure reported as exactly one line on stderr, without a stack trace. */
    private static void assertOneLineError(CliRun run, int status, String containing) {
        assertThat(run.status()).as(run.describe()).isEqualTo(status);
        assertThat(run.errLines()).as(run.describe()).hasSize(1);
        assertThat(run.err()).as(run.describe()).startsWith("range-streams: ").contains(containing)
                .doesNotContain("\tat ").doesNotContain("Exception");
    }

    /** Compares bytes without printing megabytes when they differ. */
    private static void assertSameBytes(byte[] actual, byte[] expected, String what) {
        assertThat(actual.length).as("length of " + what).isEqualTo(expected.length);
        assertThat(Arrays.mismatch(actual, expected)).as("first differing byte of " + what).isEqualTo(-1);
    }

    /** The counters of the --stats line, which must be the last line on stderr. */
    private static long[] stats(CliRun run) {
        Matcher m = STATS.matcher(run.lastErrLine());
        assertThat(m.matches()).as("last stderr line of " + run.describe()).isTrue();
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
    }

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
    class Ls {
        @Test
        void listsAZipFromItsDirectoryInOneRequest() {
            CliRun run = CliRun.run("ls", zip.toString(), "--stats");
            assertSucceeded(run);
            assertThat(run.text()).as(run.describe())
                    .contains("hello.txt", "dir/numbers.csv", "dir/empty.txt", "big.bin", "stored", "deflate")
                    .contains(MEMBERS.size() + " members");
            assertThat(server.requests("/archive.zip")).as("requests for " + run.describe()).hasSize(1);
            assertThat(stats(run)[0]).as("requests in --stats of " + run.describe()).isEqualTo(1);
        }

        @Test
        void listsATarWithDataOffsets() {
            CliRun run = CliRun.run("ls", tar.toString());
            assertSucceeded(run);
            // ustar: the first member's data follows its 512-byte header.
            assertThat(run.text()).as(run.describe()).containsPattern("\\s+14\\s+512\\s+hello.txt")
                    .contains("big.bin", MEMBERS.size() + " members");
        }

        @Test
        void sniffsTheFormatFromTheFirstBytesWhenTheNameSaysNothing() {
            CliRun run = CliRun.run("ls", unnamedZip.toString());
            assertSucceeded(run);
            assertThat(run.text()).as(run.describe()).contains("hello.txt", "deflate");
        }

        @Test
        void sniffingATarCostsNoRequestOfItsOwn() {
            URI unnamedTar = server.add("/tarball", TestArchives.tar(MEMBERS));
            CliRun named = CliRun.run("ls", tar.toString());
            CliRun unnamed = CliRun.run("ls", unnamedTar.toString());
            assertSucceeded(unnamed);
            assertThat(unnamed.text()).as(unnamed.describe()).isEqualTo(named.text());
            // The sniff reads the first block, where the tar reader starts.
            assertThat(server.requests("/tarball")).as("requests of " + unnamed.describe())
                    .hasSameSizeAs(server.requests("/archive.tar"));
        }

        @Test
        void somethingElseIsOneLine() {
            assertOneLineError(CliRun.run("ls", data.toString()), 1, "is neither zip nor tar");
        }
    }

    @Nested
    class Cat {
        @Test
        void writesAZipMember() {
            for (String name : List.of("hello.txt", "dir/numbers.csv", "big.bin", "dir/empty.txt")) {
                CliRun run = CliRun.run("cat", zip.toString(), name);
                assertSucceeded(run);
                assertSameBytes(run.out(), MEMBERS.get(name), run.describe());
            }
        }

        @Test
        void writesATarMember() {
            CliRun run = CliRun.run("cat", tar.toString(), "dir/numbers.csv");
            assertSucceeded(run);
            assertThat(run.out()).as(run.describe()).isEqualTo(MEMBERS.get("dir/numbers.csv"));
        }

        @Test
        void smallMemberTakesTheDirectoryRequestAndOneMore() {
            CliRun run = CliRun.run("cat", zip.toString(), "hello.txt", "--stats");
            assertSucceeded(run);
            assertThat(server.requests("/archive.zip")).as("requests for " + run.describe()).hasSizeLessThanOrEqualTo(2);
            assertThat(stats(run)[0]).as("requests in --stats of " + run.describe())
                    .isEqualTo(server.requests("/archive.zip").size());
        }

        @Test
        void unknownMemberIsOneLine() {
            assertOneLineError(CliRun.run("cat", zip.toString(), "nope.txt"), 1, "nope.txt");
            assertOneLineError(CliRun.run("cat", tar.toString(), "nope.txt"), 1, "nope.txt");
        }
    }

    @Nested
    class Cp {
        @Test
        void copiesWithParallelRangeRequests(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("copy.bin");
            CliRun run = CliRun.run("cp", data.toString(), file.toString(), "--chunk-size", "128k", "--parallel", "4");
            assertSucceeded(run);
            assertSameBytes(Files.readAllBytes(file), server.expected("/data.bin", Range.of(0, 1_000_000)), run.describe());
            List<RecordedRequest> gets = server.requests("/data.bin").stream().filter(r -> r.method().equals("GET")).toList();
            assertThat(gets).as("GETs of " + run.describe()).hasSize(8); // ceil(1,000,000 / 131,072)
            assertThat(gets).as("GETs of " + run.describe())
                    .allSatisfy(r -> assertThat(r.askedRange()).isPresent().get().extracting(Range::length)
                            .satisfies(n -> assertThat((long) n).isLessThanOrEqualTo(128 * 1024)));
            assertThat(server.bytesServed("/data.bin")).as("bytes served for " + run.describe()).isEqualTo(1_000_000);
        }

        @Test
        void aResourceChangingDuringTheCopyIsAnErrorAndLeavesNoMixedFile(@TempDir Path dir) throws Exception {
            String path = "/changing-cp.bin";
            URI changing = server.add(path, 8L * 1024 * 1024);
            java.util.concurrent.CountDownLatch reached = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            server.fault(path, new io.rangestreams.tck.Fault.Gate(0, reached, release));
            Path file = dir.resolve("copy.bin");
            java.util.concurrent.CompletableFuture<CliRun> run = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> CliRun.run("cp", changing.toString(), file.toString(), "--chunk-size", "1m", "--parallel", "2"));
            reached.await(); // the first GET has its headers (old version) and waits for its body
            server.change(path);
            release.countDown();
            CliRun done = run.get();
            assertOneLineError(done, 1, "changed on the server while it was copied");
            assertThat(file).as("file after " + done.describe()).doesNotExist();
            assertThat(PartialCopy.recordOf(file)).as("version record after " + done.describe()).doesNotExist();
        }

        @Test
        void copiesIntoADeviceSuchAsDevNull() {
            Path devNull = Path.of("/dev/null");
            org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(devNull) && !Files.isRegularFile(devNull),
                    "/dev/null is a device here");
            CliRun run = CliRun.run("cp", data.toString(), devNull.toString(), "--stats");
            assertSucceeded(run);
            assertThat(server.bytesServed("/data.bin")).as("bytes served for " + run.describe()).isEqualTo(1_000_000);
            assertThat(Files.isRegularFile(devNull)).as("/dev/null after " + run.describe()).isFalse();
        }

        @Test
        void resumesAPartialFileFetchingOnlyTheRest(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("copy.bin");
            Files.write(file, server.expected("/data.bin", Range.of(0, 300_001)));
            CliRun run = CliRun.run("cp", data.toString(), file.toString(), "--stats");
            assertSucceeded(run);
            assertSameBytes(Files.readAllBytes(file), server.expected("/data.bin", Range.of(0, 1_000_000)), run.describe());
            List<RecordedRequest> ranged = server.requests("/data.bin").stream().filter(r -> r.range().isPresent()).toList();
            assertThat(ranged).as("ranged requests of " + run.describe()).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.askedRange().orElseThrow().start()).isGreaterThanOrEqualTo(300_001));
            assertThat(server.bytesServed("/data.bin")).as("bytes served for " + run.describe()).isEqualTo(699_999);
            assertThat(run.err()).as(run.describe()).contains("resuming");
            assertThat(stats(run)[1]).as("bytes_fetched of " + run.describe()).isEqualTo(699_999);
        }

        /** Runs cp over a partial file of 300,001 bytes recorded as a copy of the version with {@code etag}. */
        private CliRun cpOverPartialCopy(Path file, byte[] partial, String etag) throws IOException {
            Files.write(file, partial);
            PartialCopy.write(file, new ResourceVersion(1_000_000, Optional.of(etag), Optional.empty()));
            CliRun run = CliRun.run("cp", data.toString(), file.toString());
            assertSucceeded(run);
            assertSameBytes(Files.readAllBytes(file), server.expected("/data.bin", Range.of(0, 1_000_000)), run.describe());
            assertThat(PartialCopy.recordOf(file)).as("version record after " + run.describe()).doesNotExist();
            return run;
        }

        @Test
        void resumesOnlyAPartialCopyOfTheSameVersion(@TempDir Path dir) throws IOException {
            CliRun run = cpOverPartialCopy(dir.resolve("copy.bin"), server.expected("/data.bin", Range.of(0, 300_001)),
                    server.etag("/data.bin"));
            assertThat(run.err()).as(run.describe()).contains("resuming");
            assertThat(server.bytesServed("/data.bin")).as("bytes served for " + run.describe()).isEqualTo(699_999);
        }

        @Test
        void aPartialCopyOfAnotherVersionStartsAgain(@TempDir Path dir) throws IOException {
            byte[] other = new byte[300_001];
            Arrays.fill(other, (byte) 7);
            CliRun run = cpOverPartialCopy(dir.resolve("copy.bin"), other, "\"an-older-version\"");
            assertThat(run.err()).as(run.describe()).contains("partial copy of another version").doesNotContain("resuming");
            assertThat(server.bytesServed("/data.bin")).as("bytes served for " + run.describe()).isEqualTo(1_000_000);
        }

        @Test
        void completeFileFetchesNothing(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("copy.bin");
            Files.write(file, server.expected("/data.bin", Range.of(0, 1_000_000)));
            CliRun run = CliRun.run("cp", data.toString(), file.toString(), "--stats");
            assertSucceeded(run);
            assertThat(server.bytesServed("/data.bin")).as("bytes served for " + run.describe()).isZero();
            assertThat(run.err()).as(run.describe()).contains("already complete");
        }

        @Test
        void longerFileIsRefusedAndKept(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("copy.bin");
            byte[] other = new byte[1_000_001];
            Files.write(file, other);
            assertOneLineError(CliRun.run("cp", data.toString(), file.toString()), 1, "--no-resume");
            assertSameBytes(Files.readAllBytes(file), other, "file left alone after refusing to resume");
            CliRun again = CliRun.run("cp", "--no-resume", data.toString(), file.toString());
            assertSucceeded(again);
            assertSameBytes(Files.readAllBytes(file), server.expected("/data.bin", Range.of(0, 1_000_000)), again.describe());
        }

        @Test
        void intoADirectoryUsesTheUrlsFileName(@TempDir Path dir) throws IOException {
            CliRun run = CliRun.run("cp", zip.toString(), dir.toString());
            assertSucceeded(run);
            assertSameBytes(Files.readAllBytes(dir.resolve("archive.zip")),
                    server.expected("/archive.zip", Range.from(0)), run.describe());
        }
    }

    @Nested
    class Selection {
        private String chosen(CliRun run) {
            assertSucceeded(run);
            return run.errLines().stream().filter(l -> l.startsWith("debug: transport ")).findFirst().orElse("");
        }

        @Test
        void defaultTransportIsApacheEvenWithSeveralOnTheClassPath() {
            assertThat(chosen(CliRun.run("info", "-v", data.toString())))
                    .as("transport with none named").isEqualTo("debug: transport apache, store memory");
        }

        @Test
        void environmentChoosesTheTransport() {
            assertThat(chosen(CliRun.run(Map.of("RANGESTREAMS_TRANSPORT", "okhttp"), "info", "-v", data.toString())))
                    .as("transport with RANGESTREAMS_TRANSPORT=okhttp").startsWith("debug: transport okhttp,");
        }

        @Test
        void optionBeatsTheEnvironment() {
            CliRun run = CliRun.run(Map.of("RANGESTREAMS_TRANSPORT", "okhttp"), "info", "-v", "--transport", "apache",
                    data.toString());
            assertThat(chosen(run)).as("transport with --transport apache").startsWith("debug: transport apache,");
        }

        @Test
        void everyTransportReadsTheSameBytes() {
            for (String transport : List.of("jdk", "okhttp", "apache")) {
                CliRun run = CliRun.run("get", "--transport", transport, "--range", "5000-5999", data.toString());
                assertSucceeded(run);
                assertSameBytes(run.out(), server.expected("/data.bin", Range.of(5000, 6000)), run.describe());
            }
        }

        @Test
        void aMapdbStoreInUseIsOneLineNamingTheFile(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("cache.db");
            try (MapDbRangeStore holder = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
                CliRun run = CliRun.run("get", "--range", "0-99", data.toString(), "--store",
                        "mapdb:" + file + "?lockWait=100ms");
                assertOneLineError(run, 1, file + " is in use by another process");
                assertThat(run.err()).as(run.describe()).contains("waited 100 ms").doesNotContain("StoreOptions[");
            }
        }

        @Test
        void mapdbStoreServesTheSecondRunFromDisk(@TempDir Path dir) {
            String store = "mapdb:" + dir.resolve("cache.db");
            CliRun first = CliRun.run("get", "--range", "0-99", data.toString(), "--store", store, "--stats");
            assertSucceeded(first);
            CliRun second = CliRun.run("get", "--range", "0-99", data.toString(), "--store", store, "--stats");
            assertSucceeded(second);
            assertThat(second.out()).as(second.describe()).isEqualTo(server.expected("/data.bin", Range.of(0, 100)));
            assertThat(second.lastErrLine()).as(second.describe())
                    .matches("stats: requests=[01] bytes_fetched=0 bytes_from_store=100");
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
