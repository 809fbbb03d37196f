package io.rangestreams.bench.store;

import io.rangestreams.spi.RangeStore;
import io.rangestreams.storage.memory.MemoryRangeStore;
import io.rangestreams.spi.StoreOptions;
import io.rangestreams.storage.redis.RedisRangeStoreProvider;
import io.rangestreams.storage.redis.RedisServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Warm 1 MiB reads from the Redis store (a {@code redis-server} on loopback, started here) beside the
 * memory store: one thread, and eight threads sharing the store's one connection, so their commands
 * are pipelined. Every operation moves 1 MiB, so ops/s is MiB/s. Needs {@code redis-server} on the path.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar RedisStoreBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class RedisStoreBenchmark {

    /** Both stores, filled with the same 64 MiB in 256 KiB writes (as the engine writes), shared by all threads. */
    @State(Scope.Benchmark)
    public static class Stores {
        RedisServer server;
        RangeStore redis;
        RangeStore memory;

        @Setup(Level.Trial)
        public void fill() throws IOException {
            Path dir = Files.createTempDirectory("redis-bench");
            server = RedisServer.start(dir);
            redis = new RedisRangeStoreProvider().open(StoreOptions.parse("redis:" + server.uri() + "?prefix=bench"));
            memory = new MemoryRangeStore();
            byte[] content = StoreBenchmark.content();
            for (RangeStore s : new RangeStore[] {redis, memory}) {
                s.bind(StoreBenchmark.KEY, StoreBenchmark.VERSION);
                for (int pos = 0; pos < StoreBenchmark.SIZE; pos += 256 * 1024) {
                    s.write(StoreBenchmark.KEY, StoreBenchmark.VERSION, pos, ByteBuffer.wrap(content, pos, 256 * 1024));
                }
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            redis.close();
            memory.close();
            server.close();
        }
    }

    /** A thread's buffer and offsets. */
    @State(Scope.Thread)
    public static class Reader {
        final ByteBuffer dst = ByteBuffer.allocate(StoreBenchmark.MIB);
        final SplittableRandom random = new SplittableRandom(Thread.currentThread().getId());

        int read(RangeStore store) throws IOException {
            dst.clear();
            long pos = random.nextLong((StoreBenchmark.SIZE - StoreBenchmark.MIB) / 4096) * 4096;
            int n = store.read(StoreBenchmark.KEY, pos, dst);
            if (n != StoreBenchmark.MIB) {
                throw new IllegalStateException("read " + n + " bytes at " + pos + " from " + store);
            }
            return n;
        }
    }

    @Benchmark
    @Threads(1)
    public int redisOneThread(Stores s, Reader r) throws IOException {
        return r.read(s.redis);
    }

    @Benchmark
    @Threads(8)
    public int redisEightThreadsPipelined(Stores s, Reader r) throws IOException {
        return r.read(s.redis);
    }

    @Benchmark
    @Threads(1)
    public int memoryOneThread(Stores s, Reader r) throws IOException {
        return r.read(s.memory);
    }

    @Benchmark
    @Threads(8)
    public int memoryEightThreads(Stores s, Reader r) throws IOException {
        return r.read(s.memory);
    }
}
