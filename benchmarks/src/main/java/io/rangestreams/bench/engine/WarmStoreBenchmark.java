package io.rangestreams.bench.engine;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
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
 * Issue point 7: reading again 64 MiB held in a warm memory store, {@code readSize} bytes per
 * {@code read(position, dst)}. Score: operations (64 MiB each) per second; GB/s is 0.0671 times it.
 * The iteration report checks that the server saw no request while measuring.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class WarmStoreBenchmark {

    private static final String PATH = "/warm.bin";
    private static final long SIZE = 64 * Servers.MIB;

    @Param({"jdk"})
    public String transport;

    @Param({"65536", "1048576"})
    public int readSize;

    private RangeServer server;
    private RangeClient client;
    private RangeStream stream;
    private ByteBuffer buffer;

    @Setup(Level.Trial)
    public void start() throws IOException {
        server = RangeServer.start();
        URI uri = server.add(PATH, SIZE);
        client = Servers.client(transport, "memory?maxBytes=128m").build();
        stream = client.open(uri);
        stream.fetch(Range.of(0, SIZE));
        server.clearLog();
        buffer = ByteBuffer.allocate(readSize);
    }

    @TearDown(Level.Iteration)
    public void report() {
        System.out.println("  [" + transport + " readSize=" + readSize + "] " + Servers.count(server, PATH, stream));
    }

    @TearDown(Level.Trial)
    public void stop() {
        stream.close();
        client.close();
        server.close();
    }

    @Benchmark
    public long readHeld64MiB() throws IOException {
        long total = 0;
        for (long pos = 0; pos < SIZE; pos += readSize) {
            buffer.clear();
            total += stream.read(pos, buffer);
        }
        return total;
    }
}
