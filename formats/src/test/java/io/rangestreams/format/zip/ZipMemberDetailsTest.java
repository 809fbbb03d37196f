package io.rangestreams.format.zip;

import static io.rangestreams.format.Archives.client;
import static io.rangestreams.format.Archives.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.RangeClient;
import io.rangestreams.tck.RangeServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What a zip entry tells of itself ({@code zipinfo}'s columns), links, and local headers that lie. */
class ZipMemberDetailsTest {

    private static final LocalDateTime WHEN = LocalDateTime.of(2024, 5, 6, 7, 8, 10);
    private static RangeServer server;

    @BeforeAll
    static void startServer() throws IOException {
        server = RangeServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static void put(ZipArchiveOutputStream zip, String name, int unixMode, byte[] data) throws IOException {
        ZipArchiveEntry e = new ZipArchiveEntry(name);
        e.setUnixMode(unixMode);
        e.setTime(WHEN.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli());
        zip.putArchiveEntry(e);
        zip.write(data);
        zip.closeArchiveEntry();
    }

    /** As Info-ZIP's {@code zip -y} writes them: a directory, a script, and a symbolic link to it. */
    static byte[] unixZip() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            put(zip, "bin/", 040755, new byte[0]);
            put(zip, "bin/run.sh", 0100755, text("script", 400));
            put(zip, "run", 0120777, "bin/run.sh".getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Nested
    class WhatZipinfoShows {

        @Test
        void unixEntriesCarryModeTypeAndTime() throws IOException {
            URI uri = server.add("/unix.zip", unixZip());
            try (RangeClient client = client(); ZipStream zip = client.open(uri, ZipStream.class)) {
                List<ZipMember> entries = zip.entries();
                assertThat(entries).as("hosts in /unix.zip").extracting(ZipMember::host)
                        .containsOnly(ZipMember.HOST_UNIX);
                assertThat(entries).as("permissions in /unix.zip")
                        .extracting(m -> m.permissions().orElseThrow())
                        .containsExactly("drwxr-xr-x", "-rwxr-xr-x", "lrwxrwxrwx");
                assertThat(entries).as("directories in /unix.zip").extracting(ZipMember::isDirectory)
                        .containsExactly(true, false, false);
                assertThat(entries).as("symbolic links in /unix.zip").extracting(ZipMember::isSymbolicLink)
                        .containsExactly(false, false, true);
                assertThat(entries).as("modification times in /unix.zip").extracting(ZipMember::modified)
                        .containsOnly(WHEN);
                assertThat(zip.linkTarget("run")).as("target of the link run in /unix.zip").hasValue("bin/run.sh");
                assertThat(zip.linkTarget("bin/run.sh")).as("target of the file bin/run.sh").isEmpty();
            }
        }

        @Test
        void entriesWrittenByTheJdkHaveNoUnixMode() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                zip.putNextEntry(new ZipEntry("a.txt"));
                zip.write(text("a", 100));
                zip.closeEntry();
            }
            URI uri = server.add("/jdk-made.zip", out.toByteArray());
            try (RangeClient client = client(); ZipStream zip = client.open(uri, ZipStream.class)) {
                ZipMember a = zip.entry("a.txt").orElseThrow();
                assertThat(a.unixMode()).as("unix mode of a.txt in /jdk-made.zip").isEmpty();
                assertThat(a.permissions()).as("permissions of a.txt in /jdk-made.zip").isEmpty();
                assertThat(a.isSymbolicLink()).as("a.txt is no link").isFalse();
            }
        }
    }

    @Nested
    class LocalHeadersThatLie {

        /** Two stored members; the central record of {@code a.txt} points at the local header of {@code b.txt}. */
        static byte[] crossedZip() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
                for (String name : new String[] {"a.txt", "b.txt"}) {
                    ZipArchiveEntry e = new ZipArchiveEntry(name);
                    zip.putArchiveEntry(e);
                    zip.write(text(name, 5000));
                    zip.closeArchiveEntry();
                }
            }
            byte[] bytes = out.toByteArray();
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int central = -1;
            int bLocal = -1;
            for (int i = 0; i + 4 <= bytes.length; i++) {
                if (b.getInt(i) == 0x02014b50 && central < 0) {
                    central = i; // the first central record: a.txt's
                }
                if (b.getInt(i) == 0x04034b50 && i > 0 && bLocal < 0) {
                    bLocal = i; // the second local header: b.txt's
                }
            }
            b.putInt(central + 42, bLocal);
            return bytes;
        }

        @Test
        void aLocalHeaderNamingAnotherMemberFailsBeforeAnyByte() throws IOException {
            URI uri = server.add("/crossed.zip", crossedZip());
            try (RangeClient client = client(); ZipStream zip = client.open(uri, ZipStream.class)) {
                assertThatThrownBy(() -> zip.open("a.txt")).as("opening a.txt of /crossed.zip")
                        .isInstanceOf(IOException.class).hasMessageContaining("a.txt").hasMessageContaining("'b.txt'")
                        .hasMessageContaining(uri.toString());
                assertThat(zip.readMember("b.txt")).as("b.txt of /crossed.zip").isEqualTo(text("b.txt", 5000));
            }
        }
    }
}
