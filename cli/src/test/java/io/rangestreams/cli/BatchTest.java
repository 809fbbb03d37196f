package io.rangestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.tck.RangeServer;
import io.rangestreams.tck.RangeServer.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several URLs in one command line, and the exact bytes of {@code get --range}, against {@link RangeServer}. */
class BatchTest {

    private static final Map<String, byte[]> MEMBERS = TestArchives.members();

    private static RangeServer server;
    private static URI zip;
    private static URI tar;
    private static URI data;
    private static URI missing;

    @BeforeAll
    static void start() throws IOException {
        server = RangeServer.start();
        zip = server.add("/a.zip", TestArchives.zip(MEMBERS));
        tar = server.add("/b.tar", TestArchives.tar(MEMBERS));
        data = server.add("/data.bin", 10_000_000);
        missing = server.uri("/missing.zip");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void clearLog() {
        server.clearLog();
    }

    @Nested
    class SeveralUrls {
        @Test
        void lsGroupsTheOutputPerUrlInTheOrderGiven() {
            CliRun single = CliRun.run("ls", tar.toString());
            CliRun run = CliRun.run("ls", "--jobs", "2", tar.toString(), zip.toString());
            assertThat(run.status()).as(run.describe()).isZero();
            String text = run.text();
            assertThat(text).as(run.describe()).startsWith("==> " + tar + " <==" + System.lineSeparator() + single.text());
            assertThat(text.indexOf("==> " + zip + " <==")).as(run.describe()).isGreaterThan(text.indexOf("hello.txt"));
        }

        @Test
        void aFailedUrlIsListedAtTheEndAndTheOthersStillRun() {
            CliRun run = CliRun.run("ls", zip.toString(), missing.toString(), tar.toString(), "--stats");
            assertThat(run.status()).as(run.describe()).isEqualTo(Main.EXIT_FAILURE);
            assertThat(run.text()).as(run.describe()).contains("==> " + zip + " <==", "==> " + tar + " <==")
                    .doesNotContain("==> " + missing + " <==");
            assertThat(run.errLines()).as(run.describe()).hasSize(3);
            assertThat(run.errLines().get(0)).as(run.describe()).startsWith("range-streams: " + missing + ": not found");
            assertThat(run.errLines().get(1)).as(run.describe()).isEqualTo("range-streams: 1 of 3 URLs failed");
            assertThat(run.lastErrLine()).as(run.describe()).startsWith("stats: requests=");
        }

        @Test
        void statsTotalOverEveryUrl() {
            CliRun run = CliRun.run("info", zip.toString(), tar.toString(), data.toString(), "--stats");
            assertThat(run.status()).as(run.describe()).isZero();
            assertThat(run.lastErrLine()).as(run.describe()).isEqualTo("stats: requests=3 bytes_fetched=0 bytes_from_store=0");
        }

        @Test
        void urlsComeFromAFileToo(@TempDir Path dir) throws IOException {
            Path list = Files.writeString(dir.resolve("urls.txt"), "# archives\n" + zip + "\n\n" + tar + "\n");
            CliRun run = CliRun.run("info", "-i", list.toString());
            assertThat(run.status()).as(run.describe()).isZero();
            assertThat(run.text()).as(run.describe()).contains("==> " + zip + " <==", "==> " + tar + " <==");
        }

        @Test
        void getWithSeveralUrlsWritesOneAfterAnother() {
            CliRun run = CliRun.run("get", "-r", "0-9", zip.toString(), data.toString());
            assertThat(run.status()).as(run.describe()).isZero();
            byte[] expected = new byte[20];
            System.arraycopy(server.expected("/a.zip", Range.of(0, 10)), 0, expected, 0, 10);
            System.arraycopy(server.expected("/data.bin", Range.of(0, 10)), 0, expected, 10, 10);
            assertThat(run.out()).as(run.describe()).isEqualTo(expected);
        }

        @Test
        void cpWithSeveralUrlsFillsADirectory(@TempDir Path dir) throws IOException {
            CliRun run = CliRun.run("cp", zip.toString(), tar.toString(), dir.toString());
            assertThat(run.status()).as(run.describe()).isZero();
            assertThat(Files.readAllBytes(dir.resolve("a.zip"))).as(run.describe())
                    .isEqualTo(server.expected("/a.zip", Range.of(0, server.length("/a.zip"))));
            assertThat(Files.readAllBytes(dir.resolve("b.tar"))).as(run.describe())
                    .isEqualTo(server.expected("/b.tar", Range.of(0, server.length("/b.tar"))));
        }

        @Test
        void severalUrlsIntoAFileThatIsNoDirectoryIsAUsageError(@TempDir Path dir) {
            CliRun run = CliRun.run("cp", zip.toString(), tar.toString(), dir.resolve("one.bin").toString());
            assertThat(run.status()).as(run.describe()).isEqualTo(Main.EXIT_USAGE);
        }
    }

    @Nested
    class Https {
        @Test
        void cacertGivesTrustInAServersOwnCertificate(@TempDir Path dir) throws IOException {
            try (RangeServer tls = RangeServer.startHttps()) {
                tls.add("/secure.zip", TestArchives.zip(MEMBERS));
                Path pem = Files.writeString(dir.resolve("ca.pem"), tls.certificatePem());
                URI https = tls.httpsUri("/secure.zip");
                for (String transport : new String[] {"apache", "jdk", "okhttp"}) {
                    CliRun run = CliRun.run("--cacert", pem.toString(), "--transport", transport, "ls", https.toString());
                    assertThat(run.status()).as(run.describe()).isZero();
                    assertThat(run.text()).as(run.describe()).contains("hello.txt", MEMBERS.size() + " members");
                    CliRun info = CliRun.run("--cacert", pem.toString(), "--transport", transport, "info", https.toString());
                    assertThat(info.text()).as(info.describe()).containsPattern("(?m)^protocol: +\\S+$");
                }
                CliRun untrusted = CliRun.run("ls", https.toString());
                assertThat(untrusted.status()).as(untrusted.describe()).isEqualTo(Main.EXIT_FAILURE);
                assertThat(untrusted.errLines()).as(untrusted.describe()).hasSize(1);
                assertThat(untrusted.err()).as(untrusted.describe()).contains("127.0.0.1:" + tls.httpsPort());
            }
        }

        @Test
        void aFileWithoutCertificatesIsAUsageError(@TempDir Path dir) throws IOException {
            Path pem = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
            CliRun run = CliRun.run("--cacert", pem.toString(), "info", "https://127.0.0.1:9/x");
            assertThat(run.status()).as(run.describe()).isEqualTo(Main.EXIT_USAGE);
            assertThat(run.err()).as(run.describe()).startsWith("range-streams: --cacert: ");
        }
    }

    @Nested
    class ExactRanges {
        @Test
        void getOfABoundedRangeFetchesExactlyThoseBytes() {
            CliRun run = CliRun.run("get", "-r", "1000000-3999999", data.toString(), "--stats");
            assertThat(run.status()).as(run.describe()).isZero();
            assertThat(run.out()).as(run.describe()).isEqualTo(server.expected("/data.bin", Range.of(1_000_000, 4_000_000)));
            List<RecordedRequest> requests = server.requests("/data.bin");
            assertThat(requests).as("requests of " + run.describe())
                    .allSatisfy(r -> assertThat(r.askedRange()).as("range of %s", r).isPresent()
                            .get().satisfies(range -> assertThat(range.stop()).isLessThanOrEqualTo(4_000_000)));
            assertThat(requests.stream().mapToLong(RecordedRequest::bodyBytes).sum()).as("body bytes of " + run.describe())
                    .isEqualTo(3_000_000);
            assertThat(run.lastErrLine()).as(run.describe()).startsWith("stats: requests=" + requests.size()
                    + " bytes_fetched=3000000 ");
        }

        @Test
        void getOfTheLastBytesFetchesExactlyThose() {
            CliRun run = CliRun.run("get", "-r", "-22", data.toString(), "--stats");
            assertThat(run.status()).as(run.describe()).isZero();
            assertThat(run.out()).as(run.describe()).isEqualTo(server.expected("/data.bin", Range.of(10_000_000 - 22, 10_000_000)));
            assertThat(server.requests("/data.bin")).as("requests of " + run.describe()).singleElement()
                    .satisfies(r -> assertThat(r.range()).as("Range header").contains("bytes=-22"));
            assertThat(run.lastErrLine()).as(run.describe()).isEqualTo("stats: requests=1 bytes_fetched=22 bytes_from_store=22");
        }

        @Test
        void getOfALargeBoundedRangeGoesAWindowAtATime() {
            CliRun run = CliRun.run("get", "-r", "0-9999998", data.toString());
            assertThat(run.status()).as(run.describe()).isZero();
            assertThat(server.requests("/data.bin").stream().mapToLong(RecordedRequest::bodyBytes).sum())
                    .as("body bytes of " + run.describe()).isEqualTo(9_999_999);
        }
    }
}
