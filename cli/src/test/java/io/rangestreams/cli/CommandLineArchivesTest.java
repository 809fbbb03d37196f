package io.rangestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.spi.ResourceVersion;
import io.rangestreams.storage.mapdb.MapDbRangeStore;
import io.rangestreams.tck.RangeServer.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive verbs ls, cat and cp, and how they select members. */
class CommandLineArchivesTest extends CommandLineFixture {

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
}
