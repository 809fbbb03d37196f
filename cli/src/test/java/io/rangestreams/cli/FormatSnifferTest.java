package io.rangestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.tck.RangeServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What the sniffer says of files that no range reader lists, served by {@link RangeServer} on loopback. */
class FormatSnifferTest {

    private static final List<String> ZIP_OR_TAR = List.of("zip", "tar");
    private static RangeServer server;
    private static byte[] tar;

    @BeforeAll
    static void start() throws IOException {
        server = RangeServer.start();
        tar = TestArchives.tar(Map.of("a.txt", "hello\n".getBytes(StandardCharsets.UTF_8)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String failure(String path, byte[] content) throws IOException {
        URI uri = server.add(path, content);
        try (RangeClient client = RangeClient.builder().transport("jdk").store("memory").build();
                RangeStream stream = client.open(uri)) {
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                    () -> FormatSniffer.detect(uri, stream, ZIP_OR_TAR));
            assertThat(t).as("sniffing " + path).isInstanceOf(IOException.class).hasMessageStartingWith(uri + " is ");
            return t.getMessage();
        }
    }

    private static byte[] compressed(byte[] bytes, Compressor compressor) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream c = compressor.wrap(out)) {
            c.write(bytes);
        }
        return out.toByteArray();
    }

    private interface Compressor {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    private static byte[] withMagic(int... magic) {
        byte[] b = new byte[600];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        for (int i = 0; i < magic.length; i++) {
            b[i] = (byte) magic[i];
        }
        return b;
    }

    @Nested
    class CompressedTars {

        @Test
        void aTarGzIsNamedWithTheReasonAndWhatToDo() throws IOException {
            String message = failure("/docs.tar.gz", compressed(tar, GZIPOutputStream::new));
            assertThat(message).as("message for /docs.tar.gz").contains("gzip-compressed tar archive")
                    .contains("by its first bytes").contains("cannot be listed with range requests")
                    .contains("tar -tzf -");
        }

        @Test
        void aTgzAndATarBz2AreNamedToo() throws IOException {
            assertThat(failure("/docs.tgz", compressed(tar, GZIPOutputStream::new))).as("message for /docs.tgz")
                    .contains("gzip-compressed tar archive");
            assertThat(failure("/docs.tar.bz2", compressed(tar, BZip2CompressorOutputStream::new)))
                    .as("message for /docs.tar.bz2").contains("bzip2-compressed tar archive").contains("tar -tjf -");
        }

        @Test
        void aGzipFileThatIsNoTarIsAFile() throws IOException {
            assertThat(failure("/notes.txt.gz", compressed(tar, GZIPOutputStream::new)))
                    .as("message for /notes.txt.gz").contains("gzip-compressed file").doesNotContain("tar -t");
        }

        @Test
        void xzAndZstdAreKnownByTheirMagic() throws IOException {
            assertThat(failure("/unnamed-xz", withMagic(0xfd, '7', 'z', 'X', 'Z', 0))).as("message for xz bytes")
                    .contains("xz-compressed file").contains("by its first bytes");
            assertThat(failure("/unnamed-zst", withMagic(0x28, 0xb5, 0x2f, 0xfd))).as("message for zstd bytes")
                    .contains("zstd-compressed file");
        }
    }

    @Nested
    class OtherArchives {

        @Test
        void aDebIsADebianPackage() throws IOException {
            byte[] deb = "!<arch>\ndebian-binary   1700000000  0     0     100644  4         `\n2.0\n"
                    .getBytes(StandardCharsets.US_ASCII);
            assertThat(failure("/tool_1.0_amd64.deb", deb)).as("message for a .deb")
                    .contains("Debian package").contains("data.tar").contains("dpkg-deb -c");
        }

        @Test
        void sevenZipAndRarAreNamed() throws IOException {
            assertThat(failure("/a.7z", withMagic('7', 'z', 0xbc, 0xaf, 0x27, 0x1c))).as("message for a .7z")
                    .contains("7-Zip archive");
            assertThat(failure("/a.rar", withMagic('R', 'a', 'r', '!', 0x1a, 0x07, 0))).as("message for a .rar")
                    .contains("RAR archive");
        }

        @Test
        void aNameAloneIsSaidToBeTheNameOnly() throws IOException {
            assertThat(failure("/looks.tar.xz", withMagic(1, 2, 3))).as("message for noise named .tar.xz")
                    .contains("xz-compressed tar archive").contains("by its name .xz");
        }

        @Test
        void aPngIsNamedAsAPng() throws IOException {
            assertThat(failure("/unnamed-png", withMagic(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n')))
                    .as("message for PNG bytes").contains("png file").contains("neither zip nor tar");
        }

        @Test
        void anythingElseIsNeitherZipNorTar() throws IOException {
            assertThat(failure("/unknown.bin", withMagic(1, 2, 3))).as("message for noise")
                    .contains("is neither zip nor tar");
        }
    }

    @Test
    void aTarIsStillATar() throws IOException {
        URI uri = server.add("/unnamed-tar", tar);
        try (RangeClient client = RangeClient.builder().transport("jdk").store("memory").build();
                RangeStream stream = client.open(uri)) {
            assertThat(FormatSniffer.detect(uri, stream, ZIP_OR_TAR).format()).as("format of " + uri).isEqualTo("tar");
        }
    }
}
