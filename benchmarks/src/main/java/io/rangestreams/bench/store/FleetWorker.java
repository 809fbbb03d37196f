package io.rangestreams.bench.store;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import java.io.IOException;
import java.net.URI;

/**
 * One worker of {@link RedisFleetComparison}, in its own JVM: reads a whole file in 1 MiB ranges,
 * starting at its own offset and wrapping, through the store a spec names, then prints
 * {@code stats REQUESTS BYTES_FETCHED BYTES_FROM_STORE}.
 *
 * <p>Arguments: the store spec, the URI, the file's length, the first range's index.
 */
public final class FleetWorker {

    private FleetWorker() {}

    /** Reads the file and reports. */
    public static void main(String[] args) throws IOException {
        long length = Long.parseLong(args[2]);
        int first = Integer.parseInt(args[3]);
        long ranges = length / StoreBenchmark.MIB;
        try (RangeClient client = RangeClient.builder().transport("jdk").store(args[0]).build();
                RangeStream stream = client.open(URI.create(args[1]))) {
            for (long i = 0; i < ranges; i++) {
                long start = (first + i) % ranges * StoreBenchmark.MIB;
                stream.read(Range.of(start, start + StoreBenchmark.MIB));
            }
            RangeStream.Stats stats = stream.stats();
            System.out.println("stats " + stats.requests() + " " + stats.bytesFetched() + " " + stats.bytesFromStore());
        }
    }
}
