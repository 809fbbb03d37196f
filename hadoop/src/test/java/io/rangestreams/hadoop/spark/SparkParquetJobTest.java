package io.rangestreams.hadoop.spark;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.hadoop.ParquetFixture;
import io.rangestreams.hadoop.RangeStreamsFileSystem;
import io.rangestreams.tck.RangeServer;
import io.rangestreams.tck.RangeServer.RecordedRequest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local-mode Spark job reads one column of a Parquet file over http through
 * {@link RangeStreamsFileSystem} and counts. Runs only in the Maven profile {@code spark}.
 */
class SparkParquetJobTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void countsOneColumnOfAParquetFileOverHttp() throws Exception {
        Path local = dir.resolve("data.parquet");
        long expected = ParquetFixture.write(local, 200_000, 1024L * 1024, 12);
        try (RangeServer server = RangeServer.start()) {
            URI uri = server.add("/data.parquet", Files.readAllBytes(local));
            SparkSession spark = SparkSession.builder()
                    .master("local[2]")
                    .appName("range-streams")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.hadoop.fs.http.impl", RangeStreamsFileSystem.class.getName())
                    .config("spark.hadoop.rangestreams.transport", "jdk")
                    .config("spark.hadoop.rangestreams.store", "memory")
                    .getOrCreate();
            long count;
            try {
                count = spark.read().parquet(uri.toString()).select("price").filter(col("price").gt(0.5)).count();
            } finally {
                spark.stop();
            }
            List<RecordedRequest> requests = server.requests("/data.parquet");
            long bytes = requests.stream().mapToLong(RecordedRequest::bodyBytes).sum();
            long gets = requests.stream().filter(r -> r.method().equals("GET")).count();
            // The figures docs/hadoop.md quotes, printed once per run of the profile.
            System.out.printf("spark job over %s: %d requests (%d GET, %d HEAD), %d bytes of %d%n", uri,
                    requests.size(), gets, requests.size() - gets, bytes, server.length("/data.parquet"));
            assertThat(count).as("rows with price > 0.5 counted by Spark over http").isEqualTo(expected);
            assertThat(requests).as("HEADs of the Spark job: only revalidations of held bytes, answered 304")
                    .filteredOn(r -> r.method().equals("HEAD")).allMatch(r -> r.status() == 304);
            assertThat(bytes).as("bytes the Spark job fetched for one of four columns; %s", requests)
                    .isLessThan(server.length("/data.parquet") / 3);
        }
    }
}
