package io.rangestreams.bench.engine;

import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.Locale;
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
 *
 * <p>{@code server=range-server} (the default) serves from the TCK's in-JVM server, which shares the
 * client's two cores; {@code server=nginx} from nginx with sendfile (needs nginx installed), which
 * leaves them to the client. Request counts are printed for the in-JVM server only.
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

    @Param({"range-server"})
    public String server;

    private RangeServer rangeServer;
    private Nginx nginx;
    private URI uri;
    private RangeClient plain;
    private String last = "";

    @Setup(Level.Trial)
    public void start() throws IOException {
        rangeServer = RangeServer.start();
        if (server.equals("nginx")) {
            nginx = Nginx.serve(PATH, Servers.GIB);
            uri = nginx.uri();
        } else if (server.equals("range-server")) {
            uri = rangeServer.add(PATH, Servers.GIB);
        } else {
            throw new IllegalArgumentException("server must be range-server or nginx, was " + server);
        }
        plain = Servers.client(transport, "memory?maxBytes=64m").build();
    }

    @TearDown(Level.Iteration)
    public void report() {
        System.out.println("  [" + transport + " / " + server + "] " + last);
        rangeServer.clearLog();
    }

    @TearDown(Level.Trial)
    public void stop() {
        plain.close();
        if (nginx != null) {
            nginx.close();
        }
        rangeServer.close();
    }

    /** The whole resource through the library: readahead, store capped at 64 MiB. */
    @Benchmark
    public long rangeStreamInputStream() throws IOException {
        long cpu = cpuNanos();
        try (RangeClient client = Servers.client(transport, "memory?maxBytes=64m").build();
                RangeStream stream = client.open(uri);
                InputStream in = stream.inputStream()) {
            long total = drain(in);
            last = "inputStream read " + total + " bytes; " + cpuSince(cpu) + "; " + Servers.count(rangeServer, PATH, stream);
            return total;
        }
    }

    /** The physical limit: one GET of the whole body with the same transport. */
    @Benchmark
    public long plainGet() throws IOException {
        long cpu = cpuNanos();
        try (RangeResponse response = plain.transport().send(RangeRequest.getAll(uri));
                InputStream in = response.body()) {
            if (response.status() != 200) {
                throw new IllegalStateException("plain GET of " + uri + " answered " + response.status());
            }
            long total = drain(in);
            last = "plain GET read " + total + " bytes; " + cpuSince(cpu) + "; " + Servers.count(rangeServer, PATH, null);
            return total;
        }
    }

    /**
     * CPU time of the whole JVM (client, and the in-JVM server when it serves): steadier than wall time
     * on a shared machine, and what the library's extra work per byte shows in.
     */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String cpuSince(long start) {
        return String.format(Locale.ROOT, "process CPU %.2f s", (cpuNanos() - start) / 1e9);
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            total += n;
        }
        if (total != Servers.GIB) {
            throw new IllegalStateException("read " + total + " bytes instead of " + Servers.GIB);
        }
        return total;
    }
}
