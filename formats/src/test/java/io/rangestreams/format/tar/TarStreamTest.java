package io.rangestreams.format.tar;

import static io.rangestreams.format.Archives.client;
import static io.rangestreams.format.Archives.describe;
import static io.rangestreams.format.Archives.noise;
import static io.rangestreams.format.Archives.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.RangeClient;
import io.rangestreams.tck.RangeServer;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TarStreamTest {

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

    static byte[] tar(Map<String, byte[]> members, int longFileMode) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(longFileMode);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Map.Entry<String, byte[]> e : members.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                entry.setModTime(Date.from(Instant.parse("2024-05-06T07:08:09Z")));
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    /** A ustar header splitting a long name into prefix and name, as POSIX tar writers do. */
    static byte[] ustarHeader(String prefix, String name, long size) {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(size);
        byte[] h = new byte[512];
        entry.writeEntryHeader(h);
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(p, 0, h, 345, p.length);
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        byte[] chk = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(chk, 0, h, 148, 8);
        return h;
    }

    @Test
    void listsMembersWithTheirRealDataOffsetsAndReadsThem() throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("a.txt", text("a", 1000));
        members.put("dir/b.bin", noise(2, 70_000));
        members.put("empty", new byte[0]);
        byte[] bytes = tar(members, TarArchiveOutputStream.LONGFILE_ERROR);
        URI uri = server.add("/plain.tar", bytes);
        try (TarStream tar = client.open(uri, TarStream.class)) {
            List<TarMember> list = tar.members();
            assertThat(list).as("members of /plain.tar").extracting(TarMember::name)
                    .containsExactlyElementsOf(members.keySet());
            TarMember b = tar.member("dir/b.bin").orElseThrow();
            assertThat(b.dataOffset()).as("data offset of dir/b.bin").isEqualTo(b.headerOffset() + 512);
            assertThat(java.util.Arrays.copyOfRange(bytes, (int) b.dataOffset(), (int) b.dataOffset() + 70_000))
                    .as("bytes at the data offset of dir/b.bin").isEqualTo(members.get("dir/b.bin"));
            assertThat(b.mtime()).as("mtime of dir/b.bin").isEqualTo(Instant.parse("2024-05-06T07:08:09Z"));
            assertThat(b.isRegularFile()).as("dir/b.bin is a file").isTrue();
            for (Map.Entry<String, byte[]> e : members.entrySet()) {
                assertThat(tar.readMember(e.getKey())).as("member " + e.getKey() + " of /plain.tar")
                        .isEqualTo(e.getValue());
                try (InputStream in = tar.open(e.getKey())) {
                    assertThat(in.readAllBytes()).as("streamed member " + e.getKey()).isEqualTo(e.getValue());
                }
            }
            assertThatThrownBy(() -> tar.open("nope")).as("opening a missing member of /plain.tar")
                    .isInstanceOf(FileNotFoundException.class).hasMessageContaining("nope")
                    .hasMessageContaining(uri.toString());
        }
    }

    @Test
    void handlesGnuLongNamesAndPaxHeaders() throws IOException {
        String longName = "deep/" + "x".repeat(150) + "/file.txt";
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put(longName, text("long", 3000));
        members.put("short.txt", text("short", 10));
        for (int mode : new int[] {TarArchiveOutputStream.LONGFILE_GNU, TarArchiveOutputStream.LONGFILE_POSIX}) {
            String path = "/long-" + mode + ".tar";
            URI uri = server.add(path, tar(members, mode));
            try (TarStream tar = client.open(uri, TarStream.class)) {
                assertThat(tar.members()).as("members of " + path).extracting(TarMember::name)
                        .containsExactlyElementsOf(members.keySet());
                TarMember m = tar.member(longName).orElseThrow();
                assertThat(m.dataOffset()).as("data offset of the long name in " + path)
                        .isGreaterThan(m.headerOffset() + 512);
                assertThat(tar.readMember(longName)).as("long-named member of " + path)
                        .isEqualTo(members.get(longName));
            }
        }
    }

    /** A pax record: its length counts itself, the key, the value and the newline. */
    static String paxRecord(String key, String value) {
        int body = key.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length + 3;
        int len = body + Integer.toString(body).length();
        if (Integer.toString(len).length() != Integer.toString(body).length()) {
            len++;
        }
        return len + " " + key + "=" + value + "\n";
    }

    static void pad(ByteArrayOutputStream out) {
        out.write(new byte[(512 - out.size() % 512) % 512], 0, (512 - out.size() % 512) % 512);
    }

    @Test
    void paxHeadersOverridePathSizeAndMtime() throws IOException {
        byte[] data = text("pax", 500);
        byte[] pax = (paxRecord("path", "ünicode-ñame.txt") + paxRecord("mtime", "1700000000.5")
                + paxRecord("size", Integer.toString(data.length))).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarArchiveEntry paxEntry = new TarArchiveEntry("PaxHeaders/x", TarConstants.LF_PAX_EXTENDED_HEADER_LC);
        paxEntry.setSize(pax.length);
        byte[] h = new byte[512];
        paxEntry.writeEntryHeader(h);
        out.write(h);
        out.write(pax);
        pad(out);
        TarArchiveEntry file = new TarArchiveEntry("ascii-name.txt");
        file.setSize(0); // the pax size wins
        file.writeEntryHeader(h);
        out.write(h);
        out.write(data);
        pad(out);
        out.write(new byte[1024]);
        URI uri = server.add("/pax.tar", out.toByteArray());
        try (TarStream tar = client.open(uri, TarStream.class)) {
            TarMember m = tar.members().get(0);
            assertThat(tar.members()).as("members of /pax.tar").hasSize(1);
            assertThat(m.name()).as("pax path of /pax.tar").isEqualTo("ünicode-ñame.txt");
            assertThat(m.size()).as("pax size").isEqualTo(data.length);
            assertThat(m.mtime()).as("pax mtime").isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 500_000_000));
            assertThat(m.dataOffset()).as("data offset after the pax header").isEqualTo(512 + 512 + 512);
            assertThat(tar.readMember(m.name())).as("pax member data").isEqualTo(data);
        }
    }

    @Test
    void joinsTheUstarPrefixAndName() throws IOException {
        byte[] data = text("prefixed", 700);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ustarHeader("some/long/prefix/dir", "name.txt", data.length));
        out.write(data);
        out.write(new byte[512 - data.length % 512 + 1024]);
        URI uri = server.add("/prefix.tar", out.toByteArray());
        try (TarStream tar = client.open(uri, TarStream.class)) {
            assertThat(tar.members()).as("members of /prefix.tar").extracting(TarMember::name)
                    .containsExactly("some/long/prefix/dir/name.txt");
            assertThat(tar.readMember("some/long/prefix/dir/name.txt")).as("prefixed member").isEqualTo(data);
        }
    }

    @Test
    void listsAThousandSmallMembersInAtMostThreeRequests() throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        for (int i = 0; i < 1000; i++) {
            members.put("m/" + i, noise(i, 1024));
        }
        URI uri = server.add("/thousand.tar", tar(members, TarArchiveOutputStream.LONGFILE_ERROR));
        try (TarStream tar = client.open(uri, TarStream.class)) {
            assertThat(tar.members()).as("members of /thousand.tar").hasSize(1000);
            assertThat(server.requests("/thousand.tar"))
                    .as("requests listing /thousand.tar: " + describe(server, "/thousand.tar")).hasSizeLessThanOrEqualTo(3);
            assertThat(tar.readMember("m/999")).as("m/999").isEqualTo(members.get("m/999"));
        }
    }

    @Test
    void listingLargeMembersSkipsTheirData() throws IOException {
        long size = 10L * 1024 * 1024;
        long stride = 512 + size;
        Map<Long, byte[]> headers = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            TarArchiveEntry e = new TarArchiveEntry("big/" + i + ".bin");
            e.setSize(size);
            byte[] h = new byte[512];
            e.writeEntryHeader(h);
            headers.put(i * stride, h);
        }
        long length = 100 * stride + 1024;
        // 4 KiB blocks: with the default 64 KiB block each header would cost a whole block (6.4 MiB).
        try (SparseServer sparse = new SparseServer(headers, length);
                RangeClient small = RangeClient.builder().transport("jdk").store("memory").blockSize(4096).build();
                TarStream tar = small.open(sparse.uri("/big.tar"), TarStream.class)) {
            List<TarMember> list = tar.members();
            assertThat(list).as("members of the 1000 MiB tar").hasSize(100);
            assertThat(list.get(99).dataOffset()).as("data offset of the last member").isEqualTo(99 * stride + 512);
            assertThat(sparse.bytesServed.get()).as("bytes transferred listing 100 members of 10 MiB ("
                    + sparse.requests.get() + " requests)").isLessThan(1024 * 1024);
        }
    }

    @Test
    void aResourceThatIsNotATarIsRejectedNamingTheOffset() throws IOException {
        URI uri = server.add("/noise.tar", noise(9, 5000));
        try (TarStream tar = client.open(uri, TarStream.class)) {
            assertThatThrownBy(tar::members).as("listing noise served as /noise.tar").isInstanceOf(IOException.class)
                    .hasMessageContaining("not a tar archive").hasMessageContaining("offset 0");
        }
    }
}
