/**
 * A read-only Hadoop {@link org.apache.hadoop.fs.FileSystem} for {@code http} and {@code https} on
 * range-streams, for Spark, Trino, Hive, Flink and every engine that reads files through Hadoop:
 * {@link io.rangestreams.hadoop.RangeStreamsFileSystem}, configured by the {@code rangestreams.*} keys of
 * {@link io.rangestreams.hadoop.RangeStreamsConfiguration}. Seeks, positioned reads and vectored reads
 * fetch only the bytes they touch.
 */
package io.rangestreams.hadoop;
