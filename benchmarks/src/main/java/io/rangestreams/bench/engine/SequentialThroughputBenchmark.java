package io.rangestreams.bench.engine;

import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
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
 * Issue point 4: reading a 1 GiB resource start to end through {@code inputStream()} against one
 * plain full-body GET with the same transport, in the same JVM, memory store capped at 64 MiB,
 * {@code -Xmx256m}. The score is seconds per GiB (lower is better; GiB/s is its inverse).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
public class SequentialThroughputBenchmark {

    private static final String PATH = "/gib.bin";

    @Param({"jdk"})
    public String transport;

    private RangeServer server;
    private URI uri;
    private RangeClient plain;
    private String last = "";

    @Setup(Level.Trial)
    public void start() throws IOException {
        server = RangeServer.start();
        uri = server.add(PATH, Servers.GIB);
        plain = Servers.client(transport, "memory?maxBytes=64m").build();
    }

    @TearDown(Level.Iteration)
    public void report() {
        System.out.println("  [" + transport + "] " + last);
        server.clearLog();
    }

    @TearDown(Level.Trial)
    public void stop() {
        plain.close();
        server.close();
    }

    /** The whole resource through the library: readahead, store capped at 64 MiB. */
    @Benchmark
    public long rangeStreamInputStream() throws IOException {
        try (RangeClient client = Servers.client(transport, "memory?maxBytes=64m").build();
                RangeStream stream = client.open(uri);
                InputStream in = stream.inputStream()) {
            long total = drain(in);
            last = "inputStream read " + total + " bytes; " + Servers.count(server, PATH, stream);
            return total;
        }
    }

    /** The physical limit: one GET of the whole body with the same transport. */
    @Benchmark
    public long plainGet() throws IOException {
        try (RangeResponse response = plain.transport().send(RangeRequest.getAll(uri));
                InputStream in = response.body()) {
            long total = drain(in);
            last = "plain GET read " + total + " bytes; " + Servers.count(server, PATH, null);
            return total;
        }
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            total += n;
        }
        return total;
    }
}
