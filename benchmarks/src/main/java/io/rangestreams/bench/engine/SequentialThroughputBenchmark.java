package io.rangestreams.bench.engine;

import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.ResourceVersion;
import io.rangestreams.storage.memory.MemoryRangeStore;
import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
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
 * {@code -Xmx256m}. The score is seconds per GiB (lower is better; GiB/s is its inverse). A third
 * method, {@code storeFloor}, measures the least that any reader keeping every byte in a store must
 * do (one copy more per byte, on the other core), to tell the engine's overhead from that copy's;
 * {@code plainGetIntoRing}, what landing every byte in memory the size of the store costs alone.
 *
 * <p>{@code server=range-server} (the default) serves from the TCK's in-JVM server, which shares the
 * client's two cores; {@code server=nginx} from nginx with sendfile (needs nginx installed), which
 * leaves them to the client. Request counts are printed for the in-JVM server only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4) // the engine still got faster at the sixth run after two warm-up runs
@Measurement(iterations = 6)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
public class SequentialThroughputBenchmark {

    private static final String PATH = "/gib.bin";
    private static final int FLOOR_CHUNK = 256 * 1024;

    @Param({"jdk"})
    public String transport;

    @Param({"range-server"})
    public String server;

    private RangeServer rangeServer;
    private Nginx nginx;
    private URI uri;
    private RangeClient plain;
    private RangeClient engine;
    private int runs;
    private byte[][] ring; // the floor's 64 MiB, made on its first run (not in the other methods' heap)
    private MemoryRangeStore floorStore; // storeFloorThroughStore's, likewise
    String last = ""; // what the last run read and sent, for the report

    @Setup(Level.Trial)
    public void start() throws IOException {
        rangeServer = RangeServer.start();
        try {
            if (server.equals("nginx")) {
                nginx = Nginx.serve(PATH, Servers.GIB);
                uri = nginx.uri();
            } else if (server.equals("range-server")) {
                uri = rangeServer.add(PATH, Servers.GIB);
            } else {
                throw new IllegalArgumentException("server must be range-server or nginx, was " + server);
            }
        } catch (IOException | RuntimeException e) {
            rangeServer.close(); // its threads would keep the JVM alive after the failure
            throw e;
        }
        plain = Servers.client(transport, "memory?maxBytes=64m").build();
        engine = Servers.client(transport, "memory?maxBytes=64m").build();
    }

    @TearDown(Level.Iteration)
    public void report() {
        System.out.println("  [" + transport + " / " + server + "] " + last);
        rangeServer.clearLog();
    }

    @TearDown(Level.Trial)
    public void stop() {
        plain.close();
        engine.close();
        if (nginx != null) {
            nginx.close();
        }
        rangeServer.close();
    }

    /**
     * The whole resource through the library: readahead, store capped at 64 MiB. The client lives
     * across runs, as the plain GET's does (a {@code RangeClient} is meant to be long-lived); each run
     * reads the file under another URL (a query both servers ignore), so nothing is held from the run
     * before and the store reuses the arrays it evicts, as it does in a long-running program.
     */
    @Benchmark
    public long rangeStreamInputStream() throws IOException {
        long cpu = cpuNanos();
        try (RangeStream stream = engine.open(URI.create(uri + "?run=" + ++runs));
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
     * The floor of any reader that keeps every byte in a store, with no engine at all: a second thread
     * reads one plain GET into 256 KiB arrays, 64 MiB of them reused in turn and across runs (a store
     * capped at 64 MiB, long-lived like the engine's client), and hands each to this thread, which
     * copies it into its 64 KiB buffer. One copy more per byte than {@link #plainGet()}, done on the
     * other core; what the library can at best approach.
     */
    @Benchmark
    public long storeFloor() throws Exception {
        long cpu = cpuNanos();
        int chunk = FLOOR_CHUNK;
        byte[][] ring = ring();
        BlockingQueue<Integer> filled = new ArrayBlockingQueue<>(ring.length);
        Semaphore free = new Semaphore(ring.length - 1); // the array being read is not refilled
        CompletableFuture<Void> fetch = plainGetOnAnotherThread(in -> {
            for (int i = 0; ; i = (i + 1) % ring.length) {
                free.acquire();
                int n = in.readNBytes(ring[i], 0, chunk);
                filled.put(n == chunk ? i : -1 - n); // a short chunk is the last
                if (n < chunk) {
                    return;
                }
            }
        });
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int i = 0; ; i = (i + 1) % ring.length) {
            int taken = filled.take();
            int n = taken >= 0 ? chunk : -1 - taken;
            for (int off = 0; off < n; off += buffer.length) {
                int len = Math.min(buffer.length, n - off);
                System.arraycopy(ring[i], off, buffer, 0, len);
                total += len;
            }
            free.release();
            if (taken < 0) {
                break;
            }
        }
        fetch.join();
        requireWholeFile(total);
        last = "store floor read " + total + " bytes; " + cpuSince(cpu);
        return total;
    }

    /**
     * One plain GET read, on this thread, into the floor's 64 MiB of 256 KiB arrays in turn, and
     * nothing more: what it costs only to land the bytes in memory the size of the store, which a
     * 64 KiB buffer (the plain GET's) keeps in the core's cache and 64 MiB does not (the L3 cache here
     * is 32 MiB). Between this and {@link #plainGet()}, the price of keeping every byte at all.
     */
    @Benchmark
    public long plainGetIntoRing() throws IOException {
        long cpu = cpuNanos();
        byte[][] ring = ring();
        long total = 0;
        try (RangeResponse response = plain.transport().send(RangeRequest.getAll(uri));
                InputStream in = response.body()) {
            int n;
            for (int i = 0; (n = in.readNBytes(ring[i], 0, FLOOR_CHUNK)) > 0; i = (i + 1) % ring.length) {
                total += n;
            }
        }
        requireWholeFile(total);
        last = "plain GET into 64 MiB of arrays read " + total + " bytes; " + cpuSince(cpu);
        return total;
    }

    /**
     * {@link #storeFloor()} through the real memory store (64 MiB) instead of a ring: the fetching
     * thread fills the store's own chunks ({@code newChunk}, {@code writeOwned}) and hands each
     * chunk's end to this thread, which reads it back with {@code read} in 64 KiB steps. Between this
     * and {@link #rangeStreamInputStream()} is only the engine's coordination; between this and
     * {@link #storeFloor()}, only the store.
     */
    @Benchmark
    public long storeFloorThroughStore() throws Exception {
        long cpu = cpuNanos();
        if (floorStore == null) {
            floorStore = new MemoryRangeStore(64 * Servers.MIB);
        }
        MemoryRangeStore store = floorStore;
        String key = uri + "?floor=" + ++runs;
        ResourceVersion version = new ResourceVersion(Servers.GIB, Optional.empty(), Optional.empty());
        store.bind(key, version);
        BlockingQueue<Long> stored = new ArrayBlockingQueue<>(1024); // ends of stored chunks; -1 - end: the last
        CompletableFuture<Void> fetch = plainGetOnAnotherThread(in -> {
            for (long pos = 0; ; ) {
                byte[] chunk = store.newChunk(FLOOR_CHUNK);
                int n = in.readNBytes(chunk, 0, FLOOR_CHUNK);
                if (n > 0) {
                    store.writeOwned(key, version, pos, chunk, n);
                }
                pos += n;
                stored.put(n == FLOOR_CHUNK ? pos : -1 - pos);
                if (n < FLOOR_CHUNK) {
                    return;
                }
            }
        });
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long total = 0;
        for (long taken = 0; taken >= 0; ) {
            taken = stored.take();
            long end = taken >= 0 ? taken : -1 - taken;
            while (total < end) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), end - total));
                int n = store.read(key, total, buffer);
                if (n <= 0) {
                    throw new IllegalStateException("the store lost bytes at " + total + " before they were read");
                }
                total += n;
            }
        }
        fetch.join();
        requireWholeFile(total);
        last = "store floor through the memory store read " + total + " bytes; " + cpuSince(cpu);
        return total;
    }

    /** The floors' 64 MiB of 256 KiB arrays, made on first use (not in the other methods' heap). */
    private byte[][] ring() {
        if (ring == null) {
            ring = new byte[(int) (64 * Servers.MIB / FLOOR_CHUNK)][FLOOR_CHUNK];
        }
        return ring;
    }

    private static void requireWholeFile(long total) {
        if (total != Servers.GIB) {
            throw new IllegalStateException("read " + total + " bytes instead of " + Servers.GIB);
        }
    }

    /** What a floor's fetching thread does with the body of one plain GET. */
    @FunctionalInterface
    private interface BodyReader {
        void read(InputStream body) throws IOException, InterruptedException;
    }

    /** Sends one plain GET of the whole resource and hands its body to {@code reader} on another thread. */
    private CompletableFuture<Void> plainGetOnAnotherThread(BodyReader reader) {
        return CompletableFuture.runAsync(() -> {
            try (RangeResponse response = plain.transport().send(RangeRequest.getAll(uri));
                    InputStream in = response.body()) {
                reader.read(in);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * CPU time of the whole JVM (client, and the in-JVM server when it serves): steadier than wall time
     * on a shared machine, and what the library's extra work per byte shows in.
     */
    /** The CPU time of the whole process (all threads, JIT and GC included). */
    static long cpuNanos() {
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
        requireWholeFile(total);
        return total;
    }
}
