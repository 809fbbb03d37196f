package io.rangestreams.format.tar;

import static io.rangestreams.format.Archives.client;
import static io.rangestreams.format.Archives.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.RangeClient;
import io.rangestreams.tck.RangeServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What a tar member tells of itself, reading a member without the whole index, and sizes that lie. */
class TarMemberDetailsTest {

    private static final Instant WHEN = Instant.parse("2024-05-06T07:08:09Z");
    private static RangeServer server;

    @BeforeAll
    static void startServer() throws IOException {
        server = RangeServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static TarArchiveEntry entry(String name, byte flag, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, flag);
        e.setMode(mode);
        e.setModTime(Date.from(WHEN));
        e.setIds(1000, 100);
        e.setNames("alice", "staff");
        return e;
    }

    /** A directory, a file, a symbolic link to it and a hard link to it, as {@code tar c} writes them. */
    static byte[] linkedTar() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.putArchiveEntry(entry("bin/", TarConstants.LF_DIR, 0755));
            tar.closeArchiveEntry();
            byte[] data = text("script", 300);
            TarArchiveEntry file = entry("bin/run.sh", TarConstants.LF_NORMAL, 04755);
            file.setSize(data.length);
            tar.putArchiveEntry(file);
            tar.write(data);
            tar.closeArchiveEntry();
            TarArchiveEntry symlink = entry("run", TarConstants.LF_SYMLINK, 0777);
            symlink.setLinkName("bin/run.sh");
            tar.putArchiveEntry(symlink);
            tar.closeArchiveEntry();
            TarArchiveEntry hardlink = entry("bin/again.sh", TarConstants.LF_LINK, 0755);
            hardlink.setLinkName("bin/run.sh");
            tar.putArchiveEntry(hardlink);
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    @Nested
    class WhatTarTvShows {

        @Test
        void membersCarryTypeModeOwnerTimeAndLinkTarget() throws IOException {
            URI uri = server.add("/linked.tar", linkedTar());
            try (RangeClient client = client(); TarStream tar = client.open(uri, TarStream.class)) {
                List<TarMember> members = tar.members();
                assertThat(members).as("types in /linked.tar").extracting(TarMember::type).containsExactly(
                        TarMember.Type.DIRECTORY, TarMember.Type.FILE, TarMember.Type.SYMLINK, TarMember.Type.HARDLINK);
                assertThat(members).as("permissions in /linked.tar").extracting(TarMember::permissions)
                        .containsExactly("drwxr-xr-x", "-rwsr-xr-x", "lrwxrwxrwx", "hrwxr-xr-x");
                assertThat(members).as("owners in /linked.tar").extracting(TarMember::owner)
                        .containsOnly("alice/staff");
                assertThat(members).as("uid and gid in /linked.tar").extracting(TarMember::uid, TarMember::gid)
                        .containsOnly(org.assertj.core.groups.Tuple.tuple(1000L, 100L));
                assertThat(members).as("times in /linked.tar").extracting(TarMember::mtime).containsOnly(WHEN);
                assertThat(tar.linkTarget("run")).as("target of the symbolic link run").hasValue("bin/run.sh");
                assertThat(tar.linkTarget("bin/again.sh")).as("target of the hard link bin/again.sh")
                        .hasValue("bin/run.sh");
                assertThat(tar.linkTarget("bin/run.sh")).as("target of the file bin/run.sh").isEmpty();
                assertThat(tar.member("run").orElseThrow().isLink()).as("run is a link").isTrue();
                try (InputStream in = tar.open("run")) {
                    assertThat(in.readAllBytes()).as("data of the symbolic link run").isEmpty();
                }
            }
        }

        @Test
        void anOwnerWithoutNamesShowsItsNumbers() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
                TarArchiveEntry e = entry("f", TarConstants.LF_NORMAL, 0640);
                e.setNames("", "");
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
            URI uri = server.add("/numbers.tar", out.toByteArray());
            try (RangeClient client = client(); TarStream tar = client.open(uri, TarStream.class)) {
                TarMember f = tar.member("f").orElseThrow();
                assertThat(f.owner()).as("owner of f in /numbers.tar").isEqualTo("1000/100");
                assertThat(f.permissions()).as("permissions of f in /numbers.tar").isEqualTo("-rw-r-----");
            }
        }
    }

    @Nested
    class ReadingOneMember {

        /**
         * A 100 MiB tar: a 512-byte member, an 8.7 KB member whose data starts at 1,536, then 1,000 members
         * of 100 KiB. Only headers and the two first members are real bytes; the rest is zeros.
         */
        @Test
        void stopsReadingHeadersAtTheMember() throws IOException {
            Map<Long, byte[]> segments = new LinkedHashMap<>();
            byte[] first = text("first", 512);
            byte[] wanted = text("wanted", 8_700);
            long pos = put(segments, 0, "first.txt", first);
            pos = put(segments, pos, "wanted.txt", wanted);
            long size = 100 * 1024;
            for (int i = 0; i < 1_000; i++) {
                pos = put(segments, pos, "later/" + i + ".bin", null, size);
            }
            long length = pos + 1024;
            try (SparseServer sparse = new SparseServer(segments, length);
                    RangeClient client = client();
                    TarStream tar = client.open(sparse.uri("/big.tar"), TarStream.class)) {
                byte[] got;
                try (InputStream in = tar.open("wanted.txt")) {
                    got = in.readAllBytes();
                }
                assertThat(got).as("wanted.txt of a " + length + "-byte tar").isEqualTo(wanted);
                assertThat(tar.member("wanted.txt").orElseThrow().dataOffset()).as("data offset of wanted.txt")
                        .isEqualTo(1_536);
                assertThat(sparse.requests.get()).as("requests the server got for wanted.txt").isLessThanOrEqualTo(2);
                assertThat(sparse.bytesServed.get()).as("bytes the server sent for wanted.txt ("
                        + sparse.requests.get() + " requests)").isLessThanOrEqualTo(256 * 1024);
            }
        }

        @Test
        void aMissingMemberReadsEveryHeaderThenSaysSo() throws IOException {
            URI uri = server.add("/linked-missing.tar", linkedTar());
            try (RangeClient client = client(); TarStream tar = client.open(uri, TarStream.class)) {
                assertThatThrownBy(() -> tar.open("nope")).as("opening nope in /linked-missing.tar")
                        .isInstanceOf(java.io.FileNotFoundException.class).hasMessageContaining("nope");
                assertThat(tar.members()).as("members after a failed lookup").hasSize(4);
                assertThat(tar.readMember("bin/run.sh")).as("bin/run.sh after a failed lookup")
                        .isEqualTo(text("script", 300));
            }
        }

        @Test
        void membersListedAfterALookupAreAllOfThem() throws IOException {
            URI uri = server.add("/linked-after.tar", linkedTar());
            try (RangeClient client = client(); TarStream tar = client.open(uri, TarStream.class)) {
                assertThat(tar.member("bin/run.sh")).as("bin/run.sh looked up first").isPresent();
                assertThat(tar.members()).as("members of /linked-after.tar after a lookup")
                        .extracting(TarMember::name).containsExactly("bin/", "bin/run.sh", "run", "bin/again.sh");
            }
        }

        private static long put(Map<Long, byte[]> segments, long at, String name, byte[] data) {
            return put(segments, at, name, data, data.length);
        }

        /** Puts a header (and data, if given) at {@code at}; returns where the next header goes. */
        private static long put(Map<Long, byte[]> segments, long at, String name, byte[] data, long size) {
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(size);
            byte[] h = new byte[512];
            e.writeEntryHeader(h);
            segments.put(at, h);
            if (data != null) {
                segments.put(at + 512, data);
            }
            return at + 512 + (size + 511) / 512 * 512;
        }
    }

    @Nested
    class SizesThatLie {

        /** A header whose size field holds 2^63-1 in GNU's base-256 form. */
        static byte[] hugeSizeTar() {
            TarArchiveEntry e = new TarArchiveEntry("huge.bin");
            e.setSize(0);
            byte[] h = new byte[512];
            e.writeEntryHeader(h);
            Arrays.fill(h, 124, 136, (byte) 0);
            h[124] = (byte) 0x80;
            h[128] = 0x7f;
            Arrays.fill(h, 129, 136, (byte) 0xff);
            Arrays.fill(h, 148, 156, (byte) ' ');
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            System.arraycopy(String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII), 0, h, 148, 8);
            byte[] tar = new byte[512 + 4096];
            System.arraycopy(h, 0, tar, 0, 512);
            return tar;
        }

        @Test
        void aSizeOfTwoToTheSixtyThreeMinusOneNamesTheMemberAndTheSize() throws IOException {
            URI uri = server.add("/huge.tar", hugeSizeTar());
            try (RangeClient client = client(); TarStream tar = client.open(uri, TarStream.class)) {
                assertThatThrownBy(tar::members).as("listing /huge.tar").isInstanceOf(IOException.class)
                        .hasMessageContaining("huge.bin").hasMessageContaining(Long.toString(Long.MAX_VALUE))
                        .hasMessageContaining(uri.toString()).hasMessageContaining("past the end");
            }
        }

        @Test
        void aSizePastTheEndOfAnArchiveInMemoryIsRefused() {
            assertThatThrownBy(() -> TarStream.list(hugeSizeTar(), "huge in memory"))
                    .as("listing the huge tar from memory").isInstanceOf(IOException.class)
                    .hasMessageContaining("huge.bin").hasMessageContaining(Long.toString(Long.MAX_VALUE));
        }
    }
}
