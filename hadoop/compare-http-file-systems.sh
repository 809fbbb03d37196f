#!/bin/sh
# Reads one column of a generated 1 GiB Parquet file over loopback with Hadoop's HttpFileSystem and with
# RangeStreamsFileSystem, and prints bytes, requests and time of each (HttpFileSystemComparison).
# Run from the repository root: hadoop/compare-http-file-systems.sh [directory for the generated file]
set -e
dir=${1:-hadoop/target/bench}
mvn -B -ntp -q -pl hadoop -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
exec java -Xmx2g -cp "hadoop/target/test-classes:hadoop/target/classes:$(cat hadoop/target/test-classpath.txt)" \
    io.rangestreams.hadoop.HttpFileSystemComparison "$dir"
