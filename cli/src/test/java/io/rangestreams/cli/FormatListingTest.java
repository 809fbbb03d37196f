package io.rangestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlift.compress.zstd.ZstdOutputStream;
import io.rangestreams.tck.RangeServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Date;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What {@code ls}, {@code info} and {@code cat} show of each format the library reads, against {@link RangeServer}. */
class FormatListingTest {

    private static final Instant MTIME = Instant.parse("2026-12-04T10:20:00Z");
    private static final byte[] HELLO = "hello, links\n".getBytes(StandardCharsets.UTF_8);

    private static RangeServer server;
    private static URI tar;
    private static URI zip;
    private static URI png;
    private static URI conda;

    @BeforeAll
    static void start() throws IOException {
        server = RangeServer.start();
        tar = server.add("/links.tar", tarWithLinks());
        zip = server.add("/links.zip", zipWithLink());
        png = server.add("/image.png", png());
        conda = server.add("/pkg-1.0-0.conda", conda());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void clearLog() {
        server.clearLog();
    }

    private static byte[] tarWithLinks() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry file = new TarArchiveEntry("docs/hello.txt");
            file.setSize(HELLO.length);
            file.setMode(0100640);
            file.setModTime(Date.from(MTIME));
            file.setUserName("alice");
            file.setGroupName("staff");
            out.putArchiveEntry(file);
            out.write(HELLO);
            out.closeArchiveEntry();
            TarArchiveEntry link = new TarArchiveEntry("docs/latest.txt", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("hello.txt");
            link.setMode(0120777);
            link.setModTime(Date.from(MTIME));
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static byte[] zipWithLink() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
            ZipArchiveEntry file = new ZipArchiveEntry("hello.txt");
            file.setUnixMode(0100644);
            file.setTime(Date.from(MTIME).getTime());
            out.putArchiveEntry(file);
            out.write(HELLO);
            out.closeArchiveEntry();
            ZipArchiveEntry link = new ZipArchiveEntry("latest.txt");
            link.setUnixMode(0120777);
            link.setTime(Date.from(MTIME).getTime());
            out.putArchiveEntry(link);
            out.write("hello.txt".getBytes(StandardCharsets.UTF_8));
            out.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(37, 21, BufferedImage.TYPE_INT_ARGB);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    private static byte[] conda() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
            out.putArchiveEntry(new ZipArchiveEntry("metadata.json"));
            out.write("{\"conda_pkg_format_version\": 2}".getBytes(StandardCharsets.UTF_8));
            out.closeArchiveEntry();
            out.putArchiveEntry(new ZipArchiveEntry("pkg-pkg-1.0-0.tar.zst"));
            out.write(zstdTar("lib/libpkg.so", HELLO));
            out.closeArchiveEntry();
            out.putArchiveEntry(new ZipArchiveEntry("info-pkg-1.0-0.tar.zst"));
            out.write(zstdTar("info/index.json", "{\"name\": \"pkg\"}".getBytes(StandardCharsets.UTF_8)));
            out.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static byte[] zstdTar(String name, byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream zst = new ZstdOutputStream(bytes); TarArchiveOutputStream out = new TarArchiveOutputStream(zst)) {
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(content.length);
            out.putArchiveEntry(e);
            out.write(content);
            out.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static String local(Instant t) {
        LocalDateTime l = LocalDateTime.ofInstant(t, ZoneId.systemDefault());
        return String.format("%04d-%02d-%02d %02d:%02d", l.getYear(), l.getMonthValue(), l.getDayOfMonth(), l.getHour(),
                l.getMinute());
    }

    @Nested
    class Tar {
        @Test
        void lsShowsModeOwnerDateAndLinkTargets() {
            CliRun run = CliRun.run("ls", tar.toString());
            assertThat(run.status()).as(run.describe()).isZero();
            assertThat(run.text()).as(run.describe())
                    .containsPattern("-rw-r-----  alice/staff +" + local(MTIME) + " +13 +512  docs/hello.txt\\R")
                    .containsPattern("lrwxrwxrwx  \\S+ +" + local(MTIME) + " +0 +\\d+  docs/latest.txt -> hello.txt\\R");
        }

        @Test
        void catOfALinkSaysWhatItPointsTo() {
            CliRun run = CliRun.run("cat", tar.toString(), "docs/latest.txt");
            assertThat(run.status()).as(run.describe()).isEqualTo(Main.EXIT_FAILURE);
            assertThat(run.errLines()).as(run.describe()).hasSize(1);
            assertThat(run.err()).as(run.describe()).contains("docs/latest.txt", "is a symbolic link to hello.txt");
            assertThat(run.out()).as(run.describe()).isEmpty();
        }
    }

    @Nested
    class Zip {
        @Test
        void lsShowsModeAndDate() {
            CliRun run = CliRun.run("ls", zip.toString());
            assertThat(run.status()).as(run.describe()).isZero();
            assertThat(run.text()).as(run.describe())
                    .containsPattern("-rw-r--r--  " + local(MTIME) + " +13 +\\d+ +\\w+ +[0-9a-f]{8}  hello.txt\\R")
                    .containsPattern("lrwxrwxrwx  " + local(MTIME) + " +9 .*  latest.txt\\R");
        }

        @Test
        void catOfALinkSaysWhatItPointsTo() {
            CliRun run = CliRun.run("cat", zip.toString(), "latest.txt");
            assertThat(run.status()).as(run.describe()).isEqualTo(Main.EXIT_FAILURE);
            assertThat(run.err()).as(run.describe()).contains("latest.txt", "is a symbolic link to hello.txt");
        }
    }

    @Nested
    class Png {
        @Test
        void infoShowsTheHeaderFromOneRequest() {
            CliRun run = CliRun.run("info", png.toString(), "--stats");
            assertThat(run.status()).as(run.describe()).isZero();
            assertThat(run.text()).as(run.describe()).contains("width:         37", "height:        21",
                    "bit depth:     8", "colour type:   6 (truecolour with alpha)", "length:        " + server.length("/image.png"));
            assertThat(server.requests("/image.png")).as("requests of " + run.describe()).hasSize(1);
        }

        @Test
        void lsListsTheChunks() {
            CliRun run = CliRun.run("ls", png.toString());
            assertThat(run.status()).as(run.describe()).isZero();
            assertThat(run.text()).as(run.describe()).startsWith("37x21, 8-bit truecolour with alpha")
                    .containsPattern("IHDR +8 +13 +[0-9a-f]{8}  critical").contains("IDAT", "IEND");
        }
    }

    @Nested
    class Conda {
        @Test
        void lsShowsTheContainerAndTheInfoFiles() {
            CliRun run = CliRun.run("ls", conda.toString());
            assertThat(run.status()).as(run.describe()).isZero();
            assertThat(run.text()).as(run.describe()).contains("metadata.json", "info-pkg-1.0-0.tar.zst", "info archive:",
                    "info/index.json").doesNotContain("lib/libpkg.so");
        }

        @Test
        void lsPayloadListsTheInstalledFiles() {
            CliRun run = CliRun.run("ls", "--payload", conda.toString());
            assertThat(run.status()).as(run.describe()).isZero();
            assertThat(run.text()).as(run.describe()).contains("package payload:", "lib/libpkg.so");
        }

        @Test
        void infoNamesTheFormat() {
            CliRun run = CliRun.run("info", conda.toString());
            assertThat(run.text()).as(run.describe()).contains("format:        conda");
        }
    }
}
