package io.rangestreams.bench.http2;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.spi.TlsTrust;
import io.rangestreams.spi.TransportOptions.HttpVersion;
import io.rangestreams.tck.RangeServer;
import io.rangestreams.tck.http2.JettyHttp2Server;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@link Http2Benchmark}'s workload in turns, for a machine whose load varies: each round reads the 1,000
 * random 4 KiB ranges once over HTTP/2 and once over HTTP/1.1 (alternating which goes first), each with a
 * new client, so each pays its TLS handshakes. Prints every round, then the median times and the median
 * of the per-round ratios HTTP/1.1 time / HTTP/2 time (above 1: HTTP/2 faster).
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.rangestreams.bench.http2.Http2Comparison TRANSPORT ROUNDS
 * [IN_FLIGHT]}: IN_FLIGHT (default 16) is both the client's parallelism and its connection limit, so HTTP/1.1
 * opens up to that many connections and HTTP/2 carries that many streams on one.
 */
public final class Http2Comparison {

    private Http2Comparison() {}

    public static void main(String[] args) throws Exception {
        String transport = args.length > 0 ? args[0] : "jdk";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        long length = 1L << 30;
        List<Range> reads = new ArrayList<>();
        Random random = new Random(1);
        for (int i = 0; i < 1000; i++) {
            long start = (long) (random.nextDouble() * (length - 4096));
            reads.add(Range.of(start, start + 4096));
        }
        Map<HttpVersion, List<Double>> times = new EnumMap<>(HttpVersion.class);
        List<Double> ratios = new ArrayList<>();
        try (JettyHttp2Server server = JettyHttp2Server.start(new LatencyRangeHandler(length, Duration.ofMillis(20)))) {
            run(server, transport, HttpVersion.HTTP_2, reads, inFlight); // warm-up, not counted
            run(server, transport, HttpVersion.HTTP_1_1, reads, inFlight);
            for (int round = 0; round < rounds; round++) {
                Map<HttpVersion, Double> seconds = new EnumMap<>(HttpVersion.class);
                HttpVersion[] order = round % 2 == 0 ? new HttpVersion[] {HttpVersion.HTTP_2, HttpVersion.HTTP_1_1}
                        : new HttpVersion[] {HttpVersion.HTTP_1_1, HttpVersion.HTTP_2};
                for (HttpVersion v : order) {
                    double s = run(server, transport, v, reads, inFlight);
                    seconds.put(v, s);
                    times.computeIfAbsent(v, k -> new ArrayList<>()).add(s);
                }
                ratios.add(seconds.get(HttpVersion.HTTP_1_1) / seconds.get(HttpVersion.HTTP_2));
            }
        }
        System.out.printf("%s, %d in flight: HTTP/2 median %.2f s, HTTP/1.1 median %.2f s, HTTP/1.1 / HTTP/2 median %.2fx [%.2f-%.2f]%n",
                transport, inFlight, median(times.get(HttpVersion.HTTP_2)), median(times.get(HttpVersion.HTTP_1_1)),
                median(ratios), quartile(ratios, 1), quartile(ratios, 3));
    }

    private static double run(JettyHttp2Server server, String transport, HttpVersion version, List<Range> reads,
            int inFlight) throws Exception {
        server.resetCounts();
        long t0 = System.nanoTime();
        String stats;
        try (RangeClient client = RangeClient.builder().transport(transport).store("memory")
                .trust(TlsTrust.of(RangeServer.testTrustManager())).httpVersion(version)
                .parallelism(inFlight).maxConnections(inFlight).build();
                RangeStream stream = client.open(server.uri("/random.bin"))) {
            stream.fetchAll(reads);
            for (Range r : reads) {
                stream.read(r);
            }
            stats = stream.stats().toString();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("  %s %-8s %.2f s, server: requests=%d tls_connections=%d | %s%n", transport, version, seconds,
                server.requests(), server.connectionsOpened(), stats);
        return seconds;
    }

    private static double median(List<Double> values) {
        return quartile(values, 2);
    }

    private static double quartile(List<Double> values, int q) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (sorted.size() - 1) * q / 4));
    }
}
