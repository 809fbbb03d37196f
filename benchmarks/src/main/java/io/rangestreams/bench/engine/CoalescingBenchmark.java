package io.rangestreams.bench.engine;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.net.URI;
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
 * Issue point 6: 200 clustered reads of 8 KiB (gaps log-uniform from 1 byte to 64 KiB, fixed seed)
 * as one {@code fetchAll}, with coalescing off ({@code maxGap} 0) and on. A batch fetches exactly the
 * ranges it names (no block alignment), so what it sends beyond them is the coalesced gaps. The
 * printed server counts are the result; the time is per batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
public class CoalescingBenchmark {

    private static final String PATH = "/clustered.bin";

    @Param({"jdk"})
    public String transport;

    @Param({"0", "16384", "65536"})
    public long maxGap;

    private RangeServer server;
    private URI uri;
    private List<Range> reads;
    private String last = "";

    @Setup(Level.Trial)
    public void start() throws IOException {
        server = RangeServer.start();
        uri = server.add(PATH, 16 * Servers.MIB);
        reads = clusteredReads(42);
    }

    /** 200 reads of 8 KiB; gaps log-uniform between 1 byte and 64 KiB. */
    static List<Range> clusteredReads(long seed) {
        Random random = new Random(seed);
        List<Range> out = new ArrayList<>();
        long pos = 0;
        for (int i = 0; i < 200; i++) {
            pos += (long) Math.exp(random.nextDouble() * Math.log(64 * 1024));
            out.add(Range.of(pos, pos + 8192));
            pos += 8192;
        }
        return out;
    }

    @TearDown(Level.Iteration)
    public void report() {
        System.out.println("  [" + transport + " maxGap=" + maxGap + "] " + last
                + " asked=" + 200 * 8192);
        server.clearLog();
    }

    @TearDown(Level.Trial)
    public void stop() {
        server.close();
    }

    @Benchmark
    public long clusteredFetchAll() throws IOException {
        try (RangeClient client = Servers.client(transport, "memory").maxGap(maxGap).build();
                RangeStream stream = client.open(uri)) {
            stream.fetchAll(reads);
            last = Servers.count(server, PATH, stream);
            return stream.stats().bytesFetched();
        }
    }
}
