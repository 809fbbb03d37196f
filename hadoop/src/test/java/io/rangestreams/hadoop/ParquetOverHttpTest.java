package io.rangestreams.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.tck.RangeServer;
import io.rangestreams.tck.RangeServer.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * parquet-hadoop's own reader reads a Parquet file over http through {@link RangeStreamsFileSystem}, and
 * the server's log shows what crossed the network: the footer in one suffix request, one column's chunks
 * and not the others.
 */
class ParquetOverHttpTest {

    private static final String PATH = "/data.parquet";
    private static final int ROWS = 60_000;
    private static final int BLOCK = 64 * 1024;

    @TempDir
    static Path dir;
    static RangeServer server;
    static URI uri;
    static ParquetMetadata footer;
    static long fileLength;

    @BeforeAll
    static void serveAGeneratedParquetFile() throws IOException {
        Path local = dir.resolve("data.parquet");
        ParquetFixture.write(local, ROWS, 1024L * 1024, 12);
        byte[] bytes = Files.readAllBytes(local);
        fileLength = bytes.length;
        footer = ParquetFixture.footer(local);
        server = RangeServer.start();
        uri = server.add(PATH, bytes);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** Parquet's readers get the file system from Hadoop's cache; each test closes (and so uncaches) it. */
    private static Configuration httpConf() {
        Configuration conf = new Configuration();
        conf.set("fs.http.impl", RangeStreamsFileSystem.class.getName());
        conf.set(RangeStreamsConfiguration.TRANSPORT, "jdk");
        conf.set(RangeStreamsConfiguration.STORE, "memory");
        return conf;
    }

    @Test
    void readsTheFooterWithOneSuffixRequestAndNoHead() throws IOException {
        server.clearLog();
        Configuration conf = httpConf();
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
        ParquetMetadata read;
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(path, conf))) {
            read = reader.getFooter();
        } finally {
            FileSystem.get(uri, conf).close();
        }
        List<RecordedRequest> requests = server.requests(PATH);
        assertThat(read.getBlocks()).as("row groups of the footer read over http from RangeServer")
                .hasSameSizeAs(footer.getBlocks());
        assertThat(requests).as("requests for the footer of %s (%d bytes)", PATH, fileLength).hasSize(1);
        assertThat(requests.get(0).method()).as("method of the footer request").isEqualTo("GET");
        assertThat(requests.get(0).range()).as("Range of the footer request: a suffix")
                .hasValueSatisfying(r -> assertThat(r).startsWith("bytes=-"));
        assertThat(requests.get(0).bodyBytes()).as("bytes of the footer request: one block from the end")
                .isLessThanOrEqualTo(Math.max(BLOCK, footerLength()));
    }

    @Test
    void readingOneColumnFetchesThatColumnsChunksAndNotTheOthers() throws IOException {
        server.clearLog();
        Configuration conf = httpConf();
        conf.set(ReadSupport.PARQUET_READ_SCHEMA, "message row { required double price; }");
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
        long rows = 0;
        double sum = 0;
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), path).withConf(conf)
                .build()) {
            for (Group g = reader.read(); g != null; g = reader.read()) {
                rows++;
                sum += g.getDouble("price", 0);
            }
        } finally {
            FileSystem.get(uri, conf).close();
        }
        assertThat(rows).as("rows of column price read over http").isEqualTo(ROWS);
        assertThat(sum).as("sum of price").isPositive();

        List<Range> wanted = chunks("price");
        List<Range> others = new ArrayList<>();
        for (String column : List.of("id", "name", "qty")) {
            others.addAll(chunks(column));
        }
        List<RecordedRequest> requests = server.requests(PATH);
        List<RecordedRequest> footerReads = requests.stream()
                .filter(r -> r.range().filter(h -> h.startsWith("bytes=-")).isPresent()).toList();
        List<RecordedRequest> chunkReads = requests.stream().filter(r -> !footerReads.contains(r)).toList();
        RangeSet fetched = RangeSet.EMPTY;
        for (Range r : ranges(requests)) {
            fetched = fetched.union(r);
        }
        assertThat(requests).as("no HEAD among %s", ranges(requests)).noneMatch(r -> r.method().equals("HEAD"));
        // The reader asks for the status, then opens the file: both served by one suffix read of one block.
        assertThat(footerReads).as("footer reads among %s", ranges(requests)).hasSize(1);
        assertThat(chunkReads.size()).as("requests after the footer, at most one per chunk of price: %s",
                ranges(requests)).isLessThanOrEqualTo(wanted.size());
        long allowed = BLOCK + total(wanted) + (long) BLOCK * wanted.size();
        assertThat(fetched.totalLength())
                .as("distinct bytes served for one column of %s: at most the footer's block, the column's %d chunks"
                        + " (%d bytes) and one block each; requests %s", PATH, wanted.size(), total(wanted),
                        ranges(requests))
                .isLessThanOrEqualTo(allowed);
        for (Range other : others) {
            long overlap = fetched.totalLength() - fetched.minus(other).totalLength();
            assertThat(overlap).as("bytes fetched of another column's chunk %s; requests %s", other, ranges(requests))
                    .isLessThanOrEqualTo(BLOCK);
        }
        long chunkBytes = chunkReads.stream().mapToLong(RecordedRequest::bodyBytes).sum();
        assertThat(chunkBytes).as("bytes of the requests after the footer: price's chunks (%d bytes) and no more"
                + " than a block each; %s", total(wanted), ranges(chunkReads))
                .isLessThanOrEqualTo(total(wanted) + (long) BLOCK * wanted.size());
    }

    private static long footerLength() {
        return fileLength - footer.getBlocks().stream().mapToLong(b -> b.getColumns().stream()
                .mapToLong(c -> c.getStartingPos() + c.getTotalSize()).max().orElse(0)).max().orElse(0);
    }

    private static List<Range> chunks(String column) {
        List<Range> out = new ArrayList<>();
        for (BlockMetaData block : footer.getBlocks()) {
            for (ColumnChunkMetaData c : block.getColumns()) {
                if (c.getPath().toDotString().equals(column)) {
                    out.add(Range.of(c.getStartingPos(), c.getStartingPos() + c.getTotalSize()));
                }
            }
        }
        return out;
    }

    private static long total(List<Range> ranges) {
        return ranges.stream().mapToLong(Range::length).sum();
    }

    /** The byte ranges the requests asked for, resolved against the file's length. */
    private static List<Range> ranges(List<RecordedRequest> requests) {
        return requests.stream().map(r -> r.askedRange().map(a -> a.resolve(fileLength))
                .orElse(Range.of(0, fileLength))).toList();
    }
}
