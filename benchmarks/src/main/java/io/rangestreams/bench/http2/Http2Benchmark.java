package io.rangestreams.bench.http2;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.spi.TlsTrust;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.tck.RangeServer;
import io.rangestreams.tck.http2.JettyHttp2Server;
import java.io.IOException;
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
 * Random 4 KiB reads over a large resource, as one {@code fetchAll}, over https from Jetty with
 * {@code latencyMillis} before each response: HTTP/2 (one connection) against HTTP/1.1 (a connection per
 * request in flight), as many requests in flight either way. Score: milliseconds per batch of reads;
 * each iteration also prints the requests and the TLS connections the server saw.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class Http2Benchmark {

    private static final long LENGTH = 1L << 30;

    @Param({"jdk", "okhttp"})
    public String transport;

    @Param({"HTTP_2", "HTTP_1_1"})
    public String version;

    @Param({"20"})
    public int latencyMillis;

    private JettyHttp2Server server;
    private List<Range> reads;
    private String last = "";

    @Setup(Level.Trial)
    public void start() throws Exception {
        server = JettyHttp2Server.start(new LatencyRangeHandler(LENGTH, Duration.ofMillis(latencyMillis)));
        Random random = new Random(1);
        reads = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            long start = (long) (random.nextDouble() * (LENGTH - 4096));
            reads.add(Range.of(start, start + 4096));
        }
    }

    @TearDown(Level.Iteration)
    public void report() {
        System.out.println("  [" + transport + " " + version + "] " + last);
        server.resetCounts();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        server.close();
    }

    @Benchmark
    public long fetchAll() throws IOException {
        RangeClient.Builder builder = RangeClient.builder().transport(transport).store("memory")
                .trust(TlsTrust.of(RangeServer.testTrustManager()))
                .httpVersion(TransportOptions.HttpVersion.valueOf(version));
        try (RangeClient client = builder.build(); RangeStream stream = client.open(server.uri("/random.bin"))) {
            stream.fetchAll(reads);
            long total = 0;
            for (Range r : reads) {
                total += stream.read(r).length;
            }
            last = "server: requests=" + server.requests() + " tls_connections=" + server.connectionsOpened() + " | "
                    + stream.stats();
            return total;
        }
    }
}
