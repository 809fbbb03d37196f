package io.rangestreams.format.conda;

import static io.rangestreams.format.Archives.client;
import static io.rangestreams.format.Archives.noise;
import static io.rangestreams.format.Archives.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlift.compress.zstd.ZstdOutputStream;
import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.format.tar.TarMember;
import io.rangestreams.format.zip.ZipMember;
import io.rangestreams.tck.RangeServer;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CondaStreamTest {

    private static RangeServer server;

    @BeforeAll
    static void start() throws IOException {
        server = RangeServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static byte[] tarZst(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream tarBytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(tarBytes)) {
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream zst = new ZstdOutputStream(out)) {
            zst.write(tarBytes.toByteArray());
        }
        return out.toByteArray();
    }

    static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    @Test
    void readsMetadataAndTheInfoArchiveWithoutFetchingThePayload() throws IOException {
        Map<String, byte[]> info = new LinkedHashMap<>();
        info.put("info/index.json", "{\"name\": \"demo\", \"version\": \"1.0\"}".getBytes(StandardCharsets.UTF_8));
        info.put("info/paths.json", text("path", 5000));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            stored(zip, "metadata.json", "{\"conda_pkg_format_version\": 2}".getBytes(StandardCharsets.UTF_8));
            stored(zip, "pkg-demo-1.0-0.tar.zst", noise(5, 3_000_000));
            stored(zip, "info-demo-1.0-0.tar.zst", tarZst(info));
        }
        URI uri = server.add("/demo-1.0-0.conda", out.toByteArray());
        try (RangeClient client = client(); CondaStream conda = client.open(uri, CondaStream.class)) {
            assertThat(conda.metadataJson()).as("metadata.json of " + uri).contains("conda_pkg_format_version");
            assertThat(conda.infoMembers()).as("info members of " + uri).extracting(TarMember::name)
                    .containsExactly("info/index.json", "info/paths.json");
            assertThat(conda.readInfoMember("info/index.json")).as("info/index.json").isEqualTo(info.get("info/index.json"));
            assertThat(conda.readInfoMember("info/paths.json")).as("info/paths.json").isEqualTo(info.get("info/paths.json"));
            assertThatThrownBy(() -> conda.readInfoMember("info/none")).as("a missing info file")
                    .isInstanceOf(FileNotFoundException.class).hasMessageContaining("info/none");
            ZipMember pkg = conda.archive().entry("pkg-demo-1.0-0.tar.zst").orElseThrow();
            long pkgStart = conda.archive().dataOffset(pkg);
            Range payload = Range.of(pkgStart + 128 * 1024, pkgStart + pkg.compressedSize() - 128 * 1024);
            assertThat(server.requests("/demo-1.0-0.conda")).as("requests for " + uri)
                    .allSatisfy(r -> assertThat(r.askedRange().map(a -> a.start() < 0 || a.stop() <= payload.start()
                            || a.start() >= payload.stop()).orElse(true)).as("request " + r.range() + " avoids the payload "
                            + payload).isTrue());
            assertThat(conda.stats().bytesFetched()).as("bytes fetched for " + uri).isLessThan(1_000_000);
        }
    }

    static byte[] conda(byte[] info, byte[] pkg) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            stored(zip, "metadata.json", "{\"conda_pkg_format_version\": 2}".getBytes(StandardCharsets.UTF_8));
            stored(zip, "pkg-demo-1.0-0.tar.zst", pkg);
            stored(zip, "info-demo-1.0-0.tar.zst", info);
        }
        return out.toByteArray();
    }

    @Test
    void listsThePackagePayloadThroughZstd() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("lib/libdemo.so", noise(7, 200_000));
        files.put("bin/demo", text("demo", 3000));
        byte[] info = tarZst(Map.of("info/index.json", "{}".getBytes(StandardCharsets.UTF_8)));
        URI uri = server.add("/payload-1.0-0.conda", conda(info, tarZst(files)));
        try (RangeClient client = client(); CondaStream conda = client.open(uri, CondaStream.class)) {
            assertThat(conda.archive().entries()).as("zip members of " + uri).extracting(ZipMember::name)
                    .containsExactly("metadata.json", "pkg-demo-1.0-0.tar.zst", "info-demo-1.0-0.tar.zst");
            assertThat(conda.packageMembers()).as("payload members of " + uri)
                    .extracting(TarMember::name, TarMember::size)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("lib/libdemo.so", 200_000L),
                            org.assertj.core.groups.Tuple.tuple("bin/demo", 3000L));
            assertThat(conda.infoMembers()).as("info members of " + uri).extracting(TarMember::name)
                    .containsExactly("info/index.json");
        }
    }

    @Test
    void aBadZstdFrameNamesTheMemberAndTheUrl() throws IOException {
        byte[] notZstd = noise(3, 4000);
        notZstd[0] = 0x28; // the zstd magic, then noise
        notZstd[1] = (byte) 0xb5;
        notZstd[2] = 0x2f;
        notZstd[3] = (byte) 0xfd;
        URI uri = server.add("/bad-frame-1.0-0.conda", conda(notZstd, notZstd));
        try (RangeClient client = client(); CondaStream conda = client.open(uri, CondaStream.class)) {
            assertThatThrownBy(conda::infoMembers).as("info members of " + uri).isInstanceOf(IOException.class)
                    .hasMessageContaining("info-demo-1.0-0.tar.zst").hasMessageContaining(uri.toString());
            assertThatThrownBy(conda::packageMembers).as("payload members of " + uri).isInstanceOf(IOException.class)
                    .hasMessageContaining("pkg-demo-1.0-0.tar.zst").hasMessageContaining(uri.toString());
        }
    }
}
