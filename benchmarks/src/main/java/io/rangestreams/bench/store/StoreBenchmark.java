package io.rangestreams.bench.store;

import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.ResourceVersion;
import io.rangestreams.storage.mapdb.MapDbRangeStore;
import io.rangestreams.storage.memory.MemoryRangeStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading 1 MiB ranges back from a warm store (MapDB, memory) beside reading the
 * same amount from a plain local file of the same size, and writing new 1 MiB ranges into each store.
 * Every operation moves 1 MiB, so ops/s is MiB/s.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar StoreBenchmark -f 1 -wi 2 -i 3}.
 *
 * <p>The stores are filled the way the engine fills them (256 KiB writes), then read once, so reads
 * are served from the OS page cache as the plain file's are. Reads start at random 4 KiB-aligned
 * offsets. MapDB writes are group-committed, as the store does; {@code MapDbSpeed} measures a whole
 * 1 GiB write including its last commit.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class StoreBenchmark {

    static final int MIB = 1 << 20;
    static final long SIZE = 64L * MIB;
    static final String KEY = "http://127.0.0.1/bench.bin";
    static final ResourceVersion VERSION = new ResourceVersion(SIZE, Optional.of("\"bench\""), Optional.empty());
    static final ResourceVersion WRITE_VERSION = new ResourceVersion(Long.MAX_VALUE / 2, Optional.of("\"w\""),
            Optional.empty());

    /** The content: SIZE deterministic bytes. */
    static byte[] content() {
        byte[] b = new byte[(int) SIZE];
        new Random(42).nextBytes(b);
        return b;
    }

    /** A store filled with the content in 256 KiB writes and read once. */
    public abstract static class WarmStore {
        Path dir;
        RangeStore store;
        final ByteBuffer dst = ByteBuffer.allocate(MIB);
        final SplittableRandom random = new SplittableRandom(7);

        abstract RangeStore open(Path dir) throws IOException;

        @Setup(Level.Trial)
        public void fill() throws IOException {
            dir = Files.createTempDirectory("store-bench");
            store = open(dir);
            store.bind(KEY, VERSION);
            byte[] content = content();
            for (int pos = 0; pos < SIZE; pos += 256 * 1024) {
                store.write(KEY, VERSION, pos, ByteBuffer.wrap(content, pos, 256 * 1024));
            }
            for (long pos = 0; pos < SIZE; pos += MIB) {
                dst.clear();
                store.read(KEY, pos, dst);
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            store.close();
            deleteTree(dir);
        }

        long nextOffset() {
            return random.nextLong((SIZE - MIB) / 4096) * 4096;
        }
    }

    /** The MapDB store, warm. */
    @State(Scope.Thread)
    public static class MapDbWarm extends WarmStore {
        @Override
        RangeStore open(Path dir) throws IOException {
            return MapDbRangeStore.open(dir.resolve("cache.db"), Long.MAX_VALUE);
        }
    }

    /** The memory store, warm. */
    @State(Scope.Thread)
    public static class MemoryWarm extends WarmStore {
        @Override
        RangeStore open(Path dir) {
            return new MemoryRangeStore();
        }
    }

    /** A plain local file of the same size, read once so it is in the page cache. */
    @State(Scope.Thread)
    public static class PlainFile {
        Path dir;
        FileChannel channel;
        final ByteBuffer dst = ByteBuffer.allocate(MIB);
        final SplittableRandom random = new SplittableRandom(7);

        @Setup(Level.Trial)
        public void create() throws IOException {
            dir = Files.createTempDirectory("store-bench");
            Path file = dir.resolve("plain.bin");
            Files.write(file, content());
            channel = FileChannel.open(file, StandardOpenOption.READ);
            for (long pos = 0; pos < SIZE; pos += MIB) {
                dst.clear();
                channel.read(dst, pos);
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            channel.close();
            deleteTree(dir);
        }
    }

    /** An empty store taking new 1 MiB ranges, bounded at SIZE so it evicts once full. */
    public abstract static class Writing {
        Path dir;
        RangeStore store;
        final ByteBuffer src = ByteBuffer.wrap(content(), 0, MIB);
        long next;

        abstract RangeStore open(Path dir) throws IOException;

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Files.createTempDirectory("store-bench");
            store = open(dir);
            store.bind(KEY, WRITE_VERSION);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            store.close();
            deleteTree(dir);
        }
    }

    /** MapDB, writing. */
    @State(Scope.Thread)
    public static class MapDbWriting extends Writing {
        @Override
        RangeStore open(Path dir) throws IOException {
            return MapDbRangeStore.open(dir.resolve("cache.db"), SIZE);
        }
    }

    /** Memory, writing. */
    @State(Scope.Thread)
    public static class MemoryWriting extends Writing {
        @Override
        RangeStore open(Path dir) {
            return new MemoryRangeStore(SIZE);
        }
    }

    @Benchmark
    public int readMapDb(MapDbWarm s) throws IOException {
        return read(s);
    }

    @Benchmark
    public int readMemory(MemoryWarm s) throws IOException {
        return read(s);
    }

    @Benchmark
    public int readPlainFile(PlainFile s) throws IOException {
        s.dst.clear();
        long pos = s.random.nextLong((SIZE - MIB) / 4096) * 4096;
        int total = 0;
        while (s.dst.hasRemaining()) {
            total += s.channel.read(s.dst, pos + total);
        }
        return total;
    }

    @Benchmark
    public boolean writeMapDb(MapDbWriting s) throws IOException {
        return write(s);
    }

    @Benchmark
    public boolean writeMemory(MemoryWriting s) throws IOException {
        return write(s);
    }

    private static int read(WarmStore s) throws IOException {
        s.dst.clear();
        int n = s.store.read(KEY, s.nextOffset(), s.dst);
        if (n != MIB) {
            throw new IllegalStateException("read " + n + " bytes from " + s.store + ", expected " + MIB);
        }
        return n;
    }

    private static boolean write(Writing s) throws IOException {
        long pos = s.next;
        s.next += MIB;
        return s.store.write(KEY, WRITE_VERSION, pos, s.src.duplicate());
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
