package io.rangestreams.hadoop;

import io.rangestreams.cli.StaticFileServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * Reads one column of a generated 1 GiB Parquet file over loopback, once with Hadoop's own
 * {@code HttpFileSystem} and once with {@link RangeStreamsFileSystem}, and prints bytes, requests and
 * time of each in one run. Hadoop's file system reports the length as -1 and cannot seek, so Parquet
 * cannot read through it: its run is the download that engines fall back to (the whole file through
 * {@code open()}) followed by the same read from the local copy.
 *
 * <p>Run from the repository root with {@code hadoop/compare-http-file-systems.sh}.
 */
public final class HttpFileSystemComparison {

    private static final long ROWS = 8_400_000;
    private static final int NAME_BYTES = 100;
    private static final String COLUMN = "message row { required double price; }";

    private HttpFileSystemComparison() {}

    /** Runs the comparison; the argument is a directory for the generated file (kept between runs). */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "target/bench"));
        Path file = dir.resolve("data-1g.parquet");
        if (!Files.exists(file)) {
            long t = System.nanoTime();
            ParquetFixture.write(file, ROWS, 128L << 20, NAME_BYTES);
            System.out.printf(Locale.ROOT, "generated %s: %d bytes in %.1f s%n", file, Files.size(file),
                    (System.nanoTime() - t) / 1e9);
        }
        Path served = Files.createDirectories(dir.resolve("served"));
        Path link = served.resolve("data.parquet");
        Files.deleteIfExists(link);
        Files.createLink(link, file);
        try (StaticFileServer server = StaticFileServer.start(served, 0)) {
            URI uri = server.uri("data.parquet");
            System.out.printf(Locale.ROOT, "file %s, %d bytes; reading column price%n", uri, Files.size(file));
            hadoopHttpFileSystem(server, uri, dir);
            rangeStreams(server, uri);
        }
    }

    private static void hadoopHttpFileSystem(StaticFileServer server, URI uri, Path dir) throws IOException {
        Configuration conf = new Configuration();
        conf.set("fs.http.impl", "org.apache.hadoop.fs.http.HttpFileSystem");
        conf.setBoolean("fs.http.impl.disable.cache", true);
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
        try (FileSystem fs = path.getFileSystem(conf)) {
            int requests0 = server.requests();
            long bytes0 = server.bytesServed();
            String outcome = directFailure(path, conf);
            System.out.printf(Locale.ROOT, "hadoop HttpFileSystem: length %d; Parquet over it %s (requests=%d"
                    + " bytes=%d)%n", fs.getFileStatus(path).getLen(), outcome, server.requests() - requests0,
                    server.bytesServed() - bytes0);
            requests0 = server.requests();
            bytes0 = server.bytesServed();
            long t = System.nanoTime();
            Path copy = dir.resolve("downloaded.parquet");
            try (InputStream in = fs.open(path); OutputStream out = Files.newOutputStream(copy)) {
                in.transferTo(out);
            }
            double download = (System.nanoTime() - t) / 1e9;
            long rows = readColumn(new org.apache.hadoop.fs.Path(copy.toUri()), new Configuration());
            double seconds = (System.nanoTime() - t) / 1e9;
            Files.delete(copy);
            print(String.format(Locale.ROOT, "hadoop HttpFileSystem (download %.2f s, then read)", download), server,
                    requests0, bytes0, seconds, rows);
        }
    }

    private static void rangeStreams(StaticFileServer server, URI uri) throws IOException {
        Configuration conf = new Configuration();
        conf.set("fs.http.impl", RangeStreamsFileSystem.class.getName());
        conf.set(RangeStreamsConfiguration.TRANSPORT, "jdk");
        conf.set(RangeStreamsConfiguration.STORE, "memory");
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
        int requests0 = server.requests();
        long bytes0 = server.bytesServed();
        long t = System.nanoTime();
        try {
            long rows = readColumn(path, conf);
            print("range-streams RangeStreamsFileSystem", server, requests0, bytes0, (System.nanoTime() - t) / 1e9,
                    rows);
        } finally {
            FileSystem.get(uri, conf).close();
        }
    }

    private static String directFailure(org.apache.hadoop.fs.Path path, Configuration conf) {
        try {
            readColumn(path, conf);
            return "read";
        } catch (IOException | RuntimeException e) {
            return "fails: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static long readColumn(org.apache.hadoop.fs.Path path, Configuration base) throws IOException {
        Configuration conf = new Configuration(base);
        conf.set(ReadSupport.PARQUET_READ_SCHEMA, COLUMN);
        long rows = 0;
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), path).withConf(conf)
                .build()) {
            for (Group g = reader.read(); g != null; g = reader.read()) {
                rows++;
            }
        }
        return rows;
    }

    private static void print(String name, StaticFileServer server, int requests0, long bytes0, double seconds,
            long rows) {
        System.out.printf(Locale.ROOT, "%-50s requests=%d bytes=%d time=%.2f s rows=%d%n", name,
                server.requests() - requests0, server.bytesServed() - bytes0, seconds, rows);
    }
}
