package io.rangestreams.bench.engine;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.tck.Fault;
import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue point 5: 1,000 random 4 KiB reads over a 1 GiB resource with 20 ms added to every request,
 * as one {@code fetchAll} against one read at a time (default options: 64 KiB blocks, 16 parallel).
 * Score: seconds per 1,000 reads. One-at-a-time takes about 20 s per iteration, so this runs no
 * warmup and two iterations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
public class LatencyHidingBenchmark {

    private static final String PATH = "/random.bin";

    @Param({"jdk"})
    public String transport;

    @Param({"20"})
    public int latencyMillis;

    private RangeServer server;
    private URI uri;
    private List<Range> reads;
    private String last = "";

    @Setup(Level.Trial)
    public void start() throws IOException {
        server = RangeServer.start();
        uri = server.add(PATH, Servers.GIB);
        server.fault(PATH, new Fault.Latency(Duration.ofMillis(latencyMillis)));
        Random random = new Random(1);
        reads = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            long start = (long) (random.nextDouble() * (Servers.GIB - 4096));
            reads.add(Range.of(start, start + 4096));
        }
    }

    @TearDown(Level.Iteration)
    public void report() {
        System.out.println("  [" + transport + "] " + last);
        server.clearLog();
    }

    @TearDown(Level.Trial)
    public void stop() {
        server.close();
    }

    @Benchmark
    public long fetchAll() throws IOException {
        try (RangeClient client = Servers.client(transport, "memory").build(); RangeStream stream = client.open(uri)) {
            stream.fetchAll(reads);
            long total = 0;
            for (Range r : reads) {
                total += stream.read(r).length;
            }
            last = "fetchAll of 1000 x 4 KiB; " + Servers.count(server, PATH, stream);
            return total;
        }
    }

    @Benchmark
    public long oneAtATime() throws IOException {
        try (RangeClient client = Servers.client(transport, "memory").build(); RangeStream stream = client.open(uri)) {
            long total = 0;
            for (Range r : reads) {
                total += stream.read(r).length;
            }
            last = "1000 x 4 KiB one at a time; " + Servers.count(server, PATH, stream);
            return total;
        }
    }
}
