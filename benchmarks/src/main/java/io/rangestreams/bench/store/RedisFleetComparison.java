package io.rangestreams.bench.store;

import io.rangestreams.storage.redis.RedisServer;
import io.rangestreams.tck.RangeServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The requests a shared Redis store saves a fleet: {@code N} worker JVMs ({@link FleetWorker}) read
 * the same file at once from a {@link RangeServer}, each starting at its own offset, first each with a
 * memory store of its own, then all through one {@code redis-server} on loopback. Prints, for each,
 * the requests and body bytes the origin served and the wall time. Needs {@code redis-server}.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.rangestreams.bench.store.RedisFleetComparison
 * [WORKERS] [MIB]} (default 8 workers, 64 MiB).
 */
public final class RedisFleetComparison {

    private RedisFleetComparison() {}

    /** Runs both fleets and prints one line each. */
    public static void main(String[] args) throws Exception {
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        long length = (args.length > 1 ? Long.parseLong(args[1]) : 64) * StoreBenchmark.MIB;
        Path dir = Files.createTempDirectory("redis-fleet");
        try (RangeServer origin = RangeServer.start(); RedisServer redis = RedisServer.start(dir)) {
            URI uri = origin.add("/fleet.bin", length);
            run("memory (one per process)", "memory", origin, uri, workers, length);
            run("redis (shared)", "redis:" + redis.uri() + "?prefix=fleet", origin, uri, workers, length);
        }
    }

    private static void run(String label, String spec, RangeServer origin, URI uri, int workers, long length)
            throws IOException, InterruptedException {
        origin.clearLog();
        long servedBefore = origin.bytesServed("/fleet.bin");
        long started = System.nanoTime();
        List<Process> fleet = new ArrayList<>();
        long ranges = length / StoreBenchmark.MIB;
        for (int i = 0; i < workers; i++) {
            fleet.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), FleetWorker.class.getName(), spec, uri.toString(),
                    Long.toString(length), Long.toString(i * ranges / workers))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }
        long fromStore = 0;
        for (Process p : fleet) {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("stats ")) {
                        fromStore += Long.parseLong(line.split(" ")[3]);
                    }
                }
            }
            if (p.waitFor() != 0) {
                throw new IOException("a worker of the " + label + " fleet failed");
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long served = origin.bytesServed("/fleet.bin") - servedBefore;
        System.out.printf("%-26s %d workers x %d MiB: origin requests %d, body bytes %d (%.2fx the file), "
                + "from store %d MiB, %.1f s%n", label, workers, length / StoreBenchmark.MIB,
                origin.requests("/fleet.bin").size(), served, served / (double) length, fromStore / StoreBenchmark.MIB,
                seconds);
    }
}
