package io.rangestreams.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.Range;
import io.rangestreams.tck.RangeServer;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileRange;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link RangeStreamsFileSystem} as a user turns it on, against {@link RangeServer}. */
class RangeStreamsFileSystemTest {

    private RangeServer server;
    private FileSystem fs;
    private Path file;

    @BeforeEach
    void start() throws IOException {
        server = RangeServer.start();
        file = new Path(server.add("/data.bin", 1_000_000));
        Configuration conf = new Configuration();
        conf.set("fs.http.impl", RangeStreamsFileSystem.class.getName());
        conf.setBoolean("fs.http.impl.disable.cache", true);
        conf.set(RangeStreamsConfiguration.TRANSPORT, "jdk");
        conf.set(RangeStreamsConfiguration.STORE, "memory?maxBytes=16m");
        conf.set(RangeStreamsConfiguration.BLOCK_SIZE, "16k");
        conf.set(RangeStreamsConfiguration.HEADER_PREFIX + "X-Job", "nightly");
        fs = file.getFileSystem(conf);
    }

    @AfterEach
    void stop() throws IOException {
        fs.close();
        server.close();
    }

    @Nested
    class Configured {
        @Test
        void fsHttpImplSelectsIt() {
            assertThat(fs).as("file system for %s", file).isInstanceOf(RangeStreamsFileSystem.class);
            assertThat(fs.toString()).as("transport and store from rangestreams.* keys").contains("jdk", "memory");
        }

        @Test
        void headersFromTheConfigurationAreSent() throws IOException {
            fs.getFileStatus(file);
            assertThat(server.requests("/data.bin").get(0).header("X-Job"))
                    .as("header from rangestreams.header.X-Job").hasValue("nightly");
        }

        @Test
        void aBadSettingIsNamed() {
            Configuration conf = new Configuration();
            conf.set(RangeStreamsConfiguration.REVALIDATION, "sometimes");
            assertThatThrownBy(() -> RangeStreamsConfiguration.builder(conf))
                    .as("rangestreams.revalidation=sometimes")
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rangestreams.revalidation");
        }

        @Test
        void closingTheFileSystemClosesItsClient() throws IOException {
            fs.close();
            assertThatThrownBy(() -> fs.open(file)).as("open after close of %s", fs)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
    }

    @Nested
    class Status {
        @Test
        void lengthAndModificationTimeComeFromTheResource() throws IOException {
            FileStatus status = fs.getFileStatus(file);
            RangeServer.RecordedRequest probe = server.requests("/data.bin").get(0);
            assertThat(status.getLen()).as("length of %s", file).isEqualTo(1_000_000);
            assertThat(status.isFile()).as("%s is a file", file).isTrue();
            assertThat(status.getModificationTime()).as("mtime from Last-Modified of RangeServer")
                    .isEqualTo(Instant.parse("2024-01-01T01:00:00Z").toEpochMilli());
            assertThat(probe.method() + " " + probe.range().orElse("")).as("the one probe request")
                    .startsWith("GET bytes=-");
        }

        @Test
        void aMissingFileIsFileNotFound() {
            assertThatThrownBy(() -> fs.getFileStatus(new Path(server.uri("/missing.bin"))))
                    .as("status of a path RangeServer answers 404").isInstanceOf(FileNotFoundException.class)
                    .hasMessageContaining("missing.bin");
        }

        @Test
        void openAfterStatusSendsNoSecondRequest() throws IOException {
            fs.getFileStatus(file);
            try (FSDataInputStream in = fs.open(file)) {
                in.seek(1_000_000 - 8);
                in.readFully(new byte[8]);
            }
            assertThat(server.requests("/data.bin")).as("requests for status, open and the last 8 bytes")
                    .hasSize(1);
        }
    }

    @Nested
    class ReadOnly {
        @Test
        void writesFailWithAClearIOException() {
            assertThatThrownBy(() -> fs.create(new Path(server.uri("/new.bin")))).as("create over http")
                    .isInstanceOf(IOException.class).hasMessageContaining("read-only").hasMessageContaining("new.bin");
            assertThatThrownBy(() -> fs.delete(file, false)).as("delete over http")
                    .isInstanceOf(IOException.class).hasMessageContaining("read-only");
            assertThatThrownBy(() -> fs.rename(file, new Path(server.uri("/b.bin")))).as("rename over http")
                    .isInstanceOf(IOException.class).hasMessageContaining("read-only");
            assertThatThrownBy(() -> fs.mkdirs(new Path(server.uri("/dir")))).as("mkdirs over http")
                    .isInstanceOf(IOException.class).hasMessageContaining("read-only");
        }

        @Test
        void listingADirectorySaysHttpCannot() {
            assertThatThrownBy(() -> fs.listStatus(new Path(server.uri("/")))).as("listing the root over http")
                    .isInstanceOf(IOException.class).hasMessageContaining("plain HTTP has no directory listing");
        }

        @Test
        void listingAFileGivesTheFile() throws IOException {
            assertThat(fs.listStatus(file)).as("listing %s", file).extracting(FileStatus::getLen)
                    .containsExactly(1_000_000L);
        }
    }

    @Nested
    class Reading {
        @Test
        void theStreamDeclaresItsCapabilities() throws IOException {
            try (FSDataInputStream in = fs.open(file)) {
                assertThat(List.of(StreamCapabilities.READBYTEBUFFER, StreamCapabilities.PREADBYTEBUFFER,
                        StreamCapabilities.VECTOREDIO)).as("capabilities of %s", in)
                        .allMatch(in::hasCapability);
            }
        }

        @Test
        void byteBufferReadsReturnTheServersBytes() throws IOException {
            try (FSDataInputStream in = fs.open(file)) {
                ByteBuffer positioned = ByteBuffer.allocate(1000);
                in.readFully(500_000, positioned);
                in.seek(10);
                ByteBuffer sequential = ByteBuffer.allocateDirect(100);
                int n = in.read(sequential);
                byte[] got = new byte[n];
                sequential.flip().get(got);
                assertThat(positioned.array()).as("readFully(500000, 1000 bytes)")
                        .isEqualTo(server.expected("/data.bin", Range.of(500_000, 501_000)));
                assertThat(got).as("read(ByteBuffer) at 10")
                        .isEqualTo(server.expected("/data.bin", Range.of(10, 10 + n)));
                assertThat(in.getPos()).as("position after reading %d bytes from 10", n).isEqualTo(10 + n);
            }
        }

        @Test
        void vectoredReadsAreOneFetchOfTheGapsOnly() throws Exception {
            try (FSDataInputStream in = fs.open(file)) {
                server.clearLog();
                List<FileRange> ranges = List.of(FileRange.createFileRange(100_000, 1000),
                        FileRange.createFileRange(101_500, 1000), FileRange.createFileRange(700_000, 5000));
                in.readVectored(ranges, ByteBuffer::allocate);
                for (FileRange r : ranges) {
                    ByteBuffer b = r.getData().get(30, TimeUnit.SECONDS);
                    byte[] got = new byte[b.remaining()];
                    b.get(got);
                    assertThat(got).as("vectored range %s", r).isEqualTo(server.expected("/data.bin",
                            Range.of(r.getOffset(), r.getOffset() + r.getLength())));
                }
            }
            assertThat(server.requests("/data.bin")).as("requests for three ranges, two of them 500 bytes apart")
                    .hasSize(2);
        }
    }
}
