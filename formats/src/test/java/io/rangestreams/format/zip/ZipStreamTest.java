package io.rangestreams.format.zip;

import static io.rangestreams.format.Archives.client;
import static io.rangestreams.format.Archives.describe;
import static io.rangestreams.format.Archives.noise;
import static io.rangestreams.format.Archives.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.spi.RangeStreamProvider;
import io.rangestreams.tck.RangeServer;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ZipStreamTest {

    private static RangeServer server;
    private RangeClient client;

    @BeforeAll
    static void startServer() throws IOException {
        server = RangeServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void newClient() {
        client = client();
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    /** About 1.2 MiB: stored noise members (so the data is not in the tail), deflated text, a directory. */
    static Map<String, byte[]> members() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            m.put("data/noise-" + i + ".bin", noise(i, 100_000 + i));
        }
        m.put("docs/readme.txt", text("readme", 150_000));
        m.put("docs/", new byte[0]);
        m.put("empty.txt", new byte[0]);
        m.put("ünïcode/名前.txt", "utf-8 name".getBytes(StandardCharsets.UTF_8));
        return m;
    }

    static byte[] jdkZip(Map<String, byte[]> members, String comment) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            if (comment != null) {
                zip.setComment(comment);
            }
            for (Map.Entry<String, byte[]> e : members.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                if (e.getKey().startsWith("data/")) {
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(e.getValue().length);
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void listsTheDirectoryInOneSuffixRequestWithoutHead() throws IOException {
        Map<String, byte[]> members = members();
        URI uri = server.add("/list.zip", jdkZip(members, null));
        try (ZipStream zip = client.open(uri, ZipStream.class)) {
            List<ZipMember> entries = zip.entries();
            assertThat(entries).as("entries of /list.zip").extracting(ZipMember::name)
                    .containsExactlyElementsOf(members.keySet());
            assertThat(zip.entry("docs/readme.txt").orElseThrow().method()).as("method of the text member").isEqualTo(8);
            assertThat(zip.entry("data/noise-3.bin").orElseThrow().size()).as("size of noise-3").isEqualTo(100_003);
            assertThat(zip.entry("docs/").orElseThrow().isDirectory()).as("docs/ is a directory").isTrue();
        }
        assertThat(server.requests("/list.zip")).as("requests listing /list.zip: " + describe(server, "/list.zip"))
                .hasSize(1)
                .allSatisfy(r -> {
                    assertThat(r.method()).as("method").isEqualTo("GET");
                    assertThat(r.range()).as("range header").hasValue("bytes=-65536");
                });
    }

    @Test
    void readsEachMemberWithOneMoreRequestAndChecksIt() throws IOException {
        Map<String, byte[]> members = members();
        URI uri = server.add("/read.zip", jdkZip(members, null));
        try (ZipStream zip = client.open(uri, ZipStream.class)) {
            zip.entries();
            int before = server.requests("/read.zip").size();
            assertThat(zip.readMember("data/noise-2.bin")).as("noise-2 of /read.zip")
                    .isEqualTo(members.get("data/noise-2.bin"));
            assertThat(server.requests("/read.zip").size() - before)
                    .as("requests to read noise-2: " + describe(server, "/read.zip")).isEqualTo(1);
            for (Map.Entry<String, byte[]> e : members.entrySet()) {
                assertThat(zip.readMember(e.getKey())).as("member " + e.getKey() + " of /read.zip")
                        .isEqualTo(e.getValue());
            }
            try (InputStream in = zip.open("docs/readme.txt")) {
                assertThat(in.readAllBytes()).as("streamed docs/readme.txt").isEqualTo(members.get("docs/readme.txt"));
            }
        }
    }

    @Test
    void readsTheArchiveComment() throws IOException {
        URI uri = server.add("/comment.zip", jdkZip(Map.of("a.txt", text("a", 100)), "built by the test"));
        URI none = server.add("/nocomment.zip", jdkZip(Map.of("a.txt", text("a", 100)), null));
        try (ZipStream zip = client.open(uri, ZipStream.class); ZipStream plain = client.open(none, ZipStream.class)) {
            assertThat(zip.comment()).as("comment of /comment.zip").hasValue("built by the test");
            assertThat(plain.comment()).as("comment of /nocomment.zip").isEmpty();
            assertThat(zip.readMember("a.txt")).as("a.txt of /comment.zip").isEqualTo(text("a", 100));
        }
    }

    @Test
    void findsTheEndRecordBehindACommentLongerThanTheFirstTail() throws IOException {
        String comment = "c".repeat(65_000);
        Map<String, byte[]> members = Map.of("big.bin", noise(7, 200_000));
        URI uri = server.add("/longcomment.zip", jdkZip(members, comment));
        try (ZipStream zip = client.open(uri, ZipStream.class)) {
            assertThat(zip.comment()).as("comment of /longcomment.zip").hasValue(comment);
            assertThat(zip.readMember("big.bin")).as("big.bin of /longcomment.zip").isEqualTo(members.get("big.bin"));
        }
    }

    @Test
    void readsZip64RecordsAndExtraFields() throws IOException {
        Map<String, byte[]> members = members();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            zip.setUseZip64(Zip64Mode.Always);
            zip.setComment("zip64 everywhere");
            for (Map.Entry<String, byte[]> e : members.entrySet()) {
                ZipArchiveEntry entry = new ZipArchiveEntry(e.getKey());
                zip.putArchiveEntry(entry);
                zip.write(e.getValue());
                zip.closeArchiveEntry();
            }
        }
        URI uri = server.add("/zip64.zip", out.toByteArray());
        try (ZipStream zip = client.open(uri, ZipStream.class)) {
            assertThat(zip.entries()).as("entries of /zip64.zip").extracting(ZipMember::name)
                    .containsExactlyElementsOf(members.keySet());
            assertThat(zip.comment()).as("comment of /zip64.zip").hasValue("zip64 everywhere");
            for (Map.Entry<String, byte[]> e : members.entrySet()) {
                assertThat(zip.readMember(e.getKey())).as("member " + e.getKey() + " of /zip64.zip")
                        .isEqualTo(e.getValue());
            }
        }
    }

    @Test
    void listsALargeDirectoryInTwoRequests() throws IOException {
        // 70,000 entries: more than 65,535, so the JDK writes zip64 end records; the directory is ~3 MiB.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < 70_000; i++) {
                zip.putNextEntry(new ZipEntry("f/" + i));
                zip.write(Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
                zip.closeEntry();
            }
        }
        URI uri = server.add("/many.zip", out.toByteArray());
        try (ZipStream zip = client.open(uri, ZipStream.class)) {
            List<ZipMember> entries = zip.entries();
            assertThat(entries).as("entries of /many.zip").hasSize(70_000);
            assertThat(server.requests("/many.zip")).as("requests listing /many.zip: " + describe(server, "/many.zip"))
                    .hasSize(2);
            assertThat(new String(zip.readMember("f/69999"), StandardCharsets.US_ASCII)).as("f/69999 of /many.zip")
                    .isEqualTo("69999");
        }
    }

    @Test
    void aCorruptMemberFailsItsCrcCheck() throws IOException {
        Map<String, byte[]> members = members();
        byte[] bytes = jdkZip(members, null);
        URI clean = server.add("/clean.zip", bytes);
        long offset;
        try (ZipStream zip = client.open(clean, ZipStream.class)) {
            offset = zip.dataOffset(zip.entry("data/noise-1.bin").orElseThrow());
        }
        bytes[(int) offset + 500] ^= 0x55;
        URI uri = server.add("/corrupt.zip", bytes);
        try (ZipStream zip = client.open(uri, ZipStream.class)) {
            assertThatThrownBy(() -> zip.readMember("data/noise-1.bin")).as("reading a corrupted member of /corrupt.zip")
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("CRC mismatch")
                    .hasMessageContaining("data/noise-1.bin");
        }
    }

    @Test
    void anUnknownMemberIsFileNotFoundNamingMemberAndArchive() throws IOException {
        URI uri = server.add("/known.zip", jdkZip(Map.of("a.txt", text("a", 10)), null));
        try (ZipStream zip = client.open(uri, ZipStream.class)) {
            assertThatThrownBy(() -> zip.open("missing.txt")).as("opening missing.txt of /known.zip")
                    .isInstanceOf(FileNotFoundException.class)
                    .hasMessageContaining("missing.txt")
                    .hasMessageContaining(uri.toString());
            assertThat(zip.entry("missing.txt")).as("entry missing.txt").isEmpty();
        }
    }

    @Test
    void aResourceThatIsNotAZipIsRejectedWithAReason() throws IOException {
        URI uri = server.add("/noise.zip", noise(3, 100_000));
        try (ZipStream zip = client.open(uri, ZipStream.class)) {
            assertThatThrownBy(zip::entries).as("listing noise served as /noise.zip")
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("not a zip archive");
        }
    }

    @Test
    void forwardsPlainRangeStreamCalls() throws IOException {
        byte[] bytes = jdkZip(Map.of("a.txt", text("a", 1000)), null);
        URI uri = server.add("/forward.zip", bytes);
        try (ZipStream zip = client.open(uri, ZipStream.class)) {
            assertThat(zip.length()).as("length of /forward.zip").isEqualTo(bytes.length);
            assertThat(zip.read(io.rangestreams.Range.of(0, 4))).as("first bytes of /forward.zip")
                    .containsExactly('P', 'K', 3, 4);
            assertThat(zip.uri()).as("uri").isEqualTo(uri);
        }
    }

    @Test
    void providersAreDiscoveredAndRecogniseByNameAndMagic() {
        Map<String, RangeStreamProvider<?>> byFormat = new LinkedHashMap<>();
        RangeClient.formatProviders().forEach(p -> byFormat.put(p.format(), p));
        assertThat(byFormat).as("format providers on the class path").containsOnlyKeys("zip", "tar", "png", "conda");
        ByteBuffer zipHead = ByteBuffer.wrap(new byte[] {'P', 'K', 3, 4, 0});
        assertThat(byFormat.get("zip").recognises("download", zipHead)).as("zip by magic").isTrue();
        assertThat(byFormat.get("zip").recognises("x.whl", ByteBuffer.allocate(0))).as("zip by .whl name").isTrue();
        assertThat(byFormat.get("zip").recognises("x.conda", zipHead)).as("zip declines .conda").isFalse();
        assertThat(byFormat.get("conda").recognises("x.conda", zipHead)).as("conda by name").isTrue();
        assertThat(byFormat.get("png").recognises("download", ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G',
                '\r', '\n', 0x1a, '\n'}))).as("png by magic").isTrue();
        assertThat(byFormat.get("tar").recognises("download", zipHead)).as("tar rejects zip magic").isFalse();
        assertThat(byFormat.get("zip").type()).as("zip type").isEqualTo(ZipStream.class);
    }

    @Test
    void aFormatStreamIsARangeStream() throws IOException {
        URI uri = server.add("/plain.zip", jdkZip(Map.of("a.txt", text("a", 10)), null));
        try (RangeStream stream = client.open(uri, ZipStream.class)) {
            assertThat(stream).as("stream for /plain.zip").isInstanceOf(ZipStream.class);
        }
    }
}
