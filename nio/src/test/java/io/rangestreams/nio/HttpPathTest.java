package io.rangestreams.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.Range;
import io.rangestreams.tck.RangeServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpPathTest {

    private static RangeServer server;

    @BeforeAll
    static void start() throws IOException {
        server = RangeServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void sizeAttributesChannelsAndStreamsWork() throws IOException {
        URI uri = server.add("/data.bin", 300_000);
        Path path = Path.of(uri);
        assertThat(path.getFileSystem().provider().getScheme()).as("provider of " + uri).isEqualTo("http");
        assertThat(Files.size(path)).as("Files.size of " + uri).isEqualTo(300_000);
        BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
        assertThat(attrs.isRegularFile()).as("isRegularFile of " + uri).isTrue();
        assertThat(attrs.lastModifiedTime().toInstant()).as("lastModifiedTime of " + uri)
                .isEqualTo(Instant.parse("2024-01-01T01:00:00Z"));
        try (SeekableByteChannel ch = Files.newByteChannel(path)) {
            ch.position(250_000);
            ByteBuffer buf = ByteBuffer.allocate(100);
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // fill
            }
            assertThat(buf.array()).as("100 bytes at 250000 of " + uri)
                    .isEqualTo(server.expected("/data.bin", Range.of(250_000, 250_100)));
        }
        try (InputStream in = Files.newInputStream(path)) {
            assertThat(in.readAllBytes()).as("whole of " + uri).isEqualTo(server.expected("/data.bin", Range.of(0, 300_000)));
        }
        assertThat(Files.exists(path)).as("Files.exists " + uri).isTrue();
        assertThat(Files.isWritable(path)).as("Files.isWritable " + uri).isFalse();
    }

    @Test
    void aMissingResourceIsNoSuchFile() {
        Path path = Path.of(server.uri("/missing.bin"));
        assertThatThrownBy(() -> Files.size(path)).as("Files.size of a 404").isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("/missing.bin");
        assertThat(Files.exists(path)).as("Files.exists of a 404").isFalse();
    }

    @Test
    void theJdkZipFileSystemListsAndReadsARemoteZipInAHandfulOfRequests() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] big = new byte[500_000];
        new Random(1).nextBytes(big);
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("big.bin"));
            zip.write(big);
            zip.closeEntry();
            for (int i = 0; i < 50; i++) {
                zip.putNextEntry(new ZipEntry("dir/file-" + i + ".txt"));
                zip.write(("file " + i).getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        URI uri = server.add("/remote.zip", out.toByteArray());
        Path path = Path.of(uri);
        try (FileSystem zipfs = FileSystems.newFileSystem(path)) {
            List<String> names;
            try (Stream<Path> walk = Files.walk(zipfs.getPath("/dir"))) {
                names = walk.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
            }
            assertThat(names).as("files in dir/ of " + uri).hasSize(50).contains("file-7.txt");
            assertThat(Files.readString(zipfs.getPath("/dir/file-7.txt"))).as("dir/file-7.txt of " + uri)
                    .isEqualTo("file 7");
        }
        assertThat(server.requests("/remote.zip").size()).as("requests for " + uri + ": " + server.requests("/remote.zip"))
                .isBetween(1, 4);
        assertThat(server.bytesServed("/remote.zip")).as("bytes served for " + uri).isLessThan(big.length);
    }

    @Test
    void pathOfAUriChoosesTheMemoryStoreWhenMemoryAndMapDbArePresent() throws IOException {
        URI uri = server.add("/two-stores.bin", 1000);
        Path path = Path.of(uri);
        assertThat(Files.size(path)).as("Files.size of " + uri + " with memory and mapdb present").isEqualTo(1000);
        assertThat(((HttpFileSystem) path.getFileSystem()).client().store().name())
                .as("store chosen for " + uri + " with memory and mapdb present").isEqualTo("memory");
    }
}
