package io.rangestreams.bench.transport;

import io.rangestreams.Range;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.RangeTransportProvider;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * Each transport against the same loopback {@link RangeServer}: small-range latency (4 KiB ranges at
 * scattered offsets over keep-alive connections) and large-range throughput (one 256 MiB range), each
 * beside a baseline of a plain full-body {@code GET} of a resource of the same size sent with the same HTTP
 * library directly (no transport, no {@code Range} header). The difference is what the transport adds.
 *
 * <p>The server generates content byte by byte as it sends it and runs in the benchmark's JVM, so the
 * large figures are bounded by the server; compare transports with each other and with their baseline.
 *
 * <pre>
 * mvn -B -ntp -q package -pl benchmarks -am -DskipTests
 * java -jar benchmarks/target/benchmarks.jar TransportBenchmark -f 1 -wi 2 -i 3 -w 1s -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class TransportBenchmark {

    private static final int SMALL = 4096;
    private static final long LARGE = 256L << 20;
    private static final long SMALL_FILE = 64L << 20;

    /** The transport measured, by provider name. */
    @Param({"jdk", "okhttp", "apache"})
    public String transport;

    private RangeServer server;
    private RangeTransport rangeTransport;
    private PlainClient plain;
    private URI scattered;
    private URI small;
    private URI large;
    private final byte[] buffer = new byte[64 * 1024];
    private long next;

    /** Starts the server and the transport. */
    @Setup
    public void setUp() throws IOException {
        server = RangeServer.start();
        scattered = server.add("/scattered.bin", SMALL_FILE);
        small = server.add("/small.bin", SMALL);
        large = server.add("/large.bin", LARGE);
        rangeTransport = provider(transport).create(TransportOptions.defaults());
        plain = PlainClient.of(transport);
    }

    /** Stops them. */
    @TearDown
    public void tearDown() throws IOException {
        rangeTransport.close();
        plain.close();
        server.close();
    }

    /** A 4 KiB range at a scattered offset, through the transport. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long smallRange() throws IOException {
        next = (next + 7919L * SMALL) % (SMALL_FILE - SMALL);
        return drain(rangeTransport.send(RangeRequest.get(scattered, Range.of(next, next + SMALL))), SMALL);
    }

    /** Baseline: a plain GET of a 4 KiB resource with the same HTTP library. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long smallPlainGet() throws IOException {
        return plain.get(small, buffer, SMALL);
    }

    /** A 256 MiB range through the transport. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long largeRange() throws IOException {
        return drain(rangeTransport.send(RangeRequest.get(large, Range.of(0, LARGE))), LARGE);
    }

    /** Baseline: a plain GET of a 256 MiB resource with the same HTTP library. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long largePlainGet() throws IOException {
        return plain.get(large, buffer, LARGE);
    }

    private long drain(RangeResponse response, long expected) throws IOException {
        try (response; InputStream in = response.body()) {
            return count(in, buffer, expected, response.status());
        }
    }

    private static long count(InputStream in, byte[] buffer, long expected, int status) throws IOException {
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            total += n;
        }
        if (total != expected || status / 100 != 2) {
            throw new IOException("status " + status + " with " + total + " bytes, expected " + expected);
        }
        return total;
    }

    private static RangeTransportProvider provider(String name) {
        for (RangeTransportProvider p : ServiceLoader.load(RangeTransportProvider.class)) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no transport named " + name);
    }

    /** The HTTP library itself, with its defaults, sending a plain GET. */
    private interface PlainClient extends AutoCloseable {
        long get(URI uri, byte[] buffer, long expected) throws IOException;

        @Override
        void close() throws IOException;

        static PlainClient of(String name) {
            return switch (name) {
                case "jdk" -> new PlainClient() {
                    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

                    @Override
                    public long get(URI uri, byte[] buffer, long expected) throws IOException {
                        try {
                            HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(uri).build(),
                                    HttpResponse.BodyHandlers.ofInputStream());
                            try (InputStream in = r.body()) {
                                return count(in, buffer, expected, r.statusCode());
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new InterruptedIOException();
                        }
                    }

                    @Override
                    public void close() {}
                };
                case "okhttp" -> new PlainClient() {
                    private final OkHttpClient client = new OkHttpClient();

                    @Override
                    public long get(URI uri, byte[] buffer, long expected) throws IOException {
                        try (Response r = client.newCall(new Request.Builder().url(uri.toString()).build()).execute();
                                InputStream in = r.body().byteStream()) {
                            return count(in, buffer, expected, r.code());
                        }
                    }

                    @Override
                    public void close() {
                        client.dispatcher().executorService().shutdown();
                        client.connectionPool().evictAll();
                    }
                };
                case "apache" -> new PlainClient() {
                    private final CloseableHttpClient client = HttpClients.createDefault();

                    @Override
                    public long get(URI uri, byte[] buffer, long expected) throws IOException {
                        try (ClassicHttpResponse r = client.executeOpen(null, new HttpGet(uri), null);
                                InputStream in = r.getEntity().getContent()) {
                            return count(in, buffer, expected, r.getCode());
                        }
                    }

                    @Override
                    public void close() throws IOException {
                        client.close();
                    }
                };
                default -> throw new IllegalArgumentException("no plain client for " + name);
            };
        }
    }
}
