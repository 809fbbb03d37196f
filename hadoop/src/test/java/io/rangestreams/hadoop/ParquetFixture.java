package io.rangestreams.hadoop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Generated Parquet files for the tests and the benchmark: four columns ({@code id}, {@code price},
 * {@code name}, {@code qty}), uncompressed and without dictionaries, from a fixed seed, so each column
 * chunk is about as large as its values.
 */
public final class ParquetFixture {

    /** The schema of every generated file. */
    public static final MessageType SCHEMA = MessageTypeParser.parseMessageType(
            "message row { required int64 id; required double price; required binary name; required int64 qty; }");

    private ParquetFixture() {}

    /**
     * Writes {@code rows} rows to {@code file}, in row groups of about {@code rowGroupBytes}, with names
     * of {@code nameBytes} random bytes.
     *
     * @return how many rows have a price above one half
     */
    public static long write(Path file, long rows, long rowGroupBytes, int nameBytes) throws IOException {
        Random random = new Random(42);
        SimpleGroupFactory factory = new SimpleGroupFactory(SCHEMA);
        long above = 0;
        try (ParquetWriter<Group> writer = ExampleParquetWriter
                .builder(new org.apache.hadoop.fs.Path(file.toUri()))
                .withConf(new Configuration())
                .withType(SCHEMA)
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                .withDictionaryEncoding(false)
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                .withRowGroupSize(rowGroupBytes)
                .build()) {
            byte[] name = new byte[nameBytes];
            for (long i = 0; i < rows; i++) {
                random.nextBytes(name);
                double price = random.nextDouble();
                above += price > 0.5 ? 1 : 0;
                writer.write(factory.newGroup().append("id", i).append("price", price)
                        .append("name", Binary.fromReusedByteArray(name)).append("qty", random.nextLong()));
            }
        }
        return above;
    }

    /** The footer of a local Parquet file. */
    public static ParquetMetadata footer(Path file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
            return reader.getFooter();
        }
    }
}
