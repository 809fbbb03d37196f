package io.rangestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.tck.RangeServer;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command stops when its reader stops, and memory ends in one line: real processes writing into a
 * pipe the test closes and into {@code /dev/full}, and on small heaps.
 */
class OutputErrorTest {

    private static final long BIG = 256L * 1024 * 1024;
    private static final int BOMB_MIB = 256;

    private static RangeServer server;
    private static URI big;
    private static URI small;
    private static URI zip;
    private static URI bomb;

    @BeforeAll
    static void start() throws IOException {
        server = RangeServer.start();
        big = server.add("/big.bin", BIG);
        small = server.add("/small.bin", 1_000_000);
        zip = server.add("/archive.zip", TestArchives.zip(TestArchives.members()));
        bomb = server.add("/bomb.zip", zipBomb());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A zip whose one member inflates to {@link #BOMB_MIB} MiB of zeros. */
    private static byte[] zipBomb() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry("zeros.bin"));
            byte[] mib = new byte[1024 * 1024];
            for (int i = 0; i < BOMB_MIB; i++) {
                z.write(mib);
            }
            z.closeEntry();
        }
        return bytes.toByteArray();
    }

    /** Runs {@code args} piped into the test, reads {@code n} bytes as {@code head -c n} would, closes. */
    private static Piped readThenClose(Path dir, int n, String... args) throws IOException, InterruptedException {
        File err = dir.resolve("stderr").toFile();
        Process p = CliProcess.startPiped(err, args);
        p.getOutputStream().close();
        byte[] first;
        try (InputStream in = p.getInputStream()) {
            first = in.readNBytes(n);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exited after its reader closed: " + List.of(args)).isTrue();
        return new Piped(first, p.exitValue(), Files.readString(err.toPath()));
    }

    private record Piped(byte[] first, int status, String err) {}

    @Nested
    class ClosedPipe {
        @Test
        void getIntoHeadStopsFetchingAndSaysNothing(@TempDir Path dir) throws Exception {
            server.clearLog();
            Piped r = readThenClose(dir, 100, "get", big.toString());
            assertThat(r.first()).as("first 100 bytes of get " + big).isEqualTo(server.expected("/big.bin", Range.of(0, 100)));
            assertThat(r.status()).as("exit status of get | head (stderr: %s)", r.err()).isEqualTo(1);
            assertThat(r.err()).as("stderr of get | head").isEmpty();
            assertThat(server.bytesServed("/big.bin")).as("bytes served of the %d-byte file for get | head", BIG)
                    .isLessThan(BIG / 4);
        }

        @Test
        void catOfAZipBombIntoHeadStopsInflating(@TempDir Path dir) throws Exception {
            Piped r = readThenClose(dir, 100, "cat", bomb.toString(), "zeros.bin");
            assertThat(r.first()).as("first 100 bytes of the bomb's member").isEqualTo(new byte[100]);
            assertThat(r.status()).as("exit status of cat | head (stderr: %s)", r.err()).isEqualTo(1);
            assertThat(r.err()).as("stderr of cat | head").isEmpty();
        }
    }

    @Nested
    class FullDevice {
        private ProcessTest.Result intoDevFull(Path dir, String... args) throws Exception {
            return ProcessTest.run(dir, new File("/dev/full"), List.of(), args);
        }

        @Test
        void getIntoDevFullFailsWithOneLine(@TempDir Path dir) throws Exception {
            assertFullDevice(intoDevFull(dir, "get", small.toString()));
        }

        @Test
        void catIntoDevFullFailsWithOneLine(@TempDir Path dir) throws Exception {
            assertFullDevice(intoDevFull(dir, "cat", zip.toString(), "big.bin"));
        }

        @Test
        void lsIntoDevFullFailsWithOneLine(@TempDir Path dir) throws Exception {
            assertFullDevice(intoDevFull(dir, "ls", zip.toString()));
        }

        private void assertFullDevice(ProcessTest.Result r) {
            assertThat(r.status()).as(r.describe()).isEqualTo(1);
            assertThat(r.errLines()).as(r.describe()).hasSize(1);
            assertThat(r.err()).as(r.describe()).startsWith("range-streams: cannot write the output: ")
                    .contains("No space left on device");
        }
    }

    @Test
    void runningOutOfMemoryEndsInOneLine(@TempDir Path dir) throws Exception {
        URI large = server.add("/oom.bin", 100_000_000L);
        ProcessTest.Result r = ProcessTest.run(dir, List.of("-Xmx24m"), "get", "--store", "memory?maxBytes=200m",
                large.toString(), "-o", "/dev/null");
        assertThat(r.status()).as(r.describe()).isEqualTo(1);
        assertThat(r.errLines()).as(r.describe()).hasSize(1);
        assertThat(r.err()).as(r.describe()).startsWith("range-streams: out of memory (the Java heap is ");
    }

    @Test
    void aSmallHeapStillGetsALargeFile(@TempDir Path dir) throws Exception {
        URI large = server.add("/large.bin", 300_000_000L);
        ProcessTest.Result r = ProcessTest.run(dir, List.of("-Xmx64m"), "get", large.toString(), "-o", "/dev/null");
        assertThat(r.status()).as(r.describe()).isZero();
        assertThat(r.err()).as(r.describe()).isEmpty();
    }
}
