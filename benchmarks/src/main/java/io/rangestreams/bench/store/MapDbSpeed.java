package io.rangestreams.bench.store;

import io.rangestreams.spi.ResourceVersion;
import io.rangestreams.storage.mapdb.MapDbRangeStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The MapDB store's speed on one disk, as {@code benchmarks/mapdb-speed.sh} reports it beside
 * {@code dd}: writes {@code GiB} GiB into a fresh store in 256 KiB writes, as the engine does, timed
 * up to the end of {@code close()} (which commits and syncs), and the same bytes into a plain file
 * (1 MiB writes, one sync at the end: what a Java program can do at best); then reads it back warm, round after
 * round, beside the same reads of a plain file of the same bytes in the same directory: sequential
 * 1 MiB reads of the whole file and random 64 KiB reads. Prints one line per figure and the medians.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.rangestreams.bench.store.MapDbSpeed DIR [GiB] [ROUNDS]}
 */
public final class MapDbSpeed {

    private static final int MIB = 1 << 20;
    private static final int WRITE = 256 * 1024;
    private static final int RANDOM_READ = 64 * 1024;
    private static final String KEY = "http://127.0.0.1/speed.bin";

    private MapDbSpeed() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: MapDbSpeed DIR [GiB] [ROUNDS]");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        long size = (args.length > 1 ? Long.parseLong(args[1]) : 1) << 30;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        ResourceVersion version = new ResourceVersion(size, Optional.of("\"speed\""), Optional.empty());
        byte[] content = new byte[64 * MIB];
        new Random(42).nextBytes(content);
        Path file = dir.resolve("speed.db");
        for (String name : List.of("speed.db", "speed.db.data", "speed.db.wal.0", "plain.bin")) {
            Files.deleteIfExists(dir.resolve(name));
        }

        long start = System.nanoTime();
        try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
            store.bind(KEY, version);
            for (long pos = 0; pos < size; pos += WRITE) {
                int at = (int) (pos % content.length);
                store.write(KEY, version, pos, ByteBuffer.wrap(content, at, WRITE));
            }
        }
        double writeSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "store write: %d MiB in %.2f s, %.1f MB/s (256 KiB writes, close included)%n",
                size >> 20, writeSeconds, size / 1e6 / writeSeconds);

        Path plain = dir.resolve("plain.bin");
        start = System.nanoTime();
        try (FileChannel out = FileChannel.open(plain, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (long pos = 0; pos < size; pos += MIB) {
                ByteBuffer src = ByteBuffer.wrap(content, (int) (pos % content.length), MIB);
                long at = pos;
                while (src.hasRemaining()) {
                    at += out.write(src, at);
                }
            }
            out.force(false);
        }
        double plainSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "plain file write: %d MiB in %.2f s, %.1f MB/s (1 MiB writes, then one sync)%n",
                size >> 20, plainSeconds, size / 1e6 / plainSeconds);

        List<double[]> measured = new ArrayList<>();
        try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE);
                FileChannel in = FileChannel.open(plain, StandardOpenOption.READ)) {
            ByteBuffer dst = ByteBuffer.allocate(MIB);
            for (int round = 0; round <= rounds; round++) { // round 0 warms the page cache and the JIT
                double[] s = new double[4];
                s[0] = time(() -> sequential(size, dst, (pos, b) -> store.read(KEY, pos, b)));
                s[1] = time(() -> sequential(size, dst, (pos, b) -> in.read(b, pos)));
                s[2] = time(() -> random(size, dst, (pos, b) -> store.read(KEY, pos, b)));
                s[3] = time(() -> random(size, dst, (pos, b) -> in.read(b, pos)));
                if (round > 0) {
                    measured.add(s);
                    System.out.printf(Locale.ROOT, "round %d: sequential 1 MiB reads: store %.0f MB/s, plain file "
                                    + "%.0f MB/s (%.2fx); random 64 KiB reads: store %.0f MB/s, plain file %.0f MB/s "
                                    + "(%.2fx)%n", round, size / 1e6 / s[0], size / 1e6 / s[1], s[1] / s[0],
                            size / 1e6 / s[2], size / 1e6 / s[3], s[3] / s[2]);
                }
            }
        }
        System.out.printf(Locale.ROOT, "warm reads, median of %d rounds: sequential 1 MiB %.2fx of the plain file, "
                        + "random 64 KiB %.2fx of the plain file%n", rounds,
                median(measured.stream().mapToDouble(s -> s[1] / s[0]).toArray()),
                median(measured.stream().mapToDouble(s -> s[3] / s[2]).toArray()));
    }

    @FunctionalInterface
    private interface PositionalRead {
        int read(long position, ByteBuffer dst) throws IOException;
    }

    @FunctionalInterface
    private interface Work {
        void run() throws IOException;
    }

    private static double time(Work work) throws IOException {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static void sequential(long size, ByteBuffer dst, PositionalRead read) throws IOException {
        for (long pos = 0; pos < size; pos += MIB) {
            fill(pos, dst.clear(), read);
        }
    }

    /** As many random 64 KiB reads as there are bytes in the file, so the figure is bytes per second too. */
    private static void random(long size, ByteBuffer dst, PositionalRead read) throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        for (long n = 0; n < size / RANDOM_READ; n++) {
            long pos = random.nextLong((size - RANDOM_READ) / 4096) * 4096;
            fill(pos, dst.clear().limit(RANDOM_READ), read);
        }
    }

    private static void fill(long pos, ByteBuffer dst, PositionalRead read) throws IOException {
        long at = pos;
        while (dst.hasRemaining()) {
            int n = read.read(at, dst);
            if (n <= 0) {
                throw new IllegalStateException("read at " + at + " returned " + n);
            }
            at += n;
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
