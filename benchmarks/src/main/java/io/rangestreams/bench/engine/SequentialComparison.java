package io.rangestreams.bench.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The comparison harness for issue point 4: four of the workloads of
 * {@link SequentialThroughputBenchmark} (plain GET, the library's {@code inputStream()}, the store
 * floor, the plain GET into the floor's 64 MiB of arrays), but run in turn in one JVM, round after
 * round, so each round compares them under the same load of a shared machine. Not
 * {@code storeFloorThroughStore}: another 64 MiB of arrays does not fit beside the others in the
 * 256 MiB heap. JMH runs each method in its own fork one after the other, and on two shared cores the
 * plain GET alone varied 0.26-0.61 s per GiB between minutes; the median of per-round ratios is what
 * this harness reports, with the median process CPU per GiB of each workload (all threads, JIT and GC
 * included; steadier than the times, and what the engine's changes act on).
 *
 * <p>{@code java -Xmx256m -cp benchmarks/target/benchmarks.jar io.rangestreams.bench.engine.SequentialComparison
 * apache nginx 6 15 [point4]}: transport, server ({@code nginx} or {@code range-server}), warm-up rounds,
 * measured rounds, and {@code point4} to run the plain GET and {@code inputStream()} alone. One
 * transport per JVM, so the JIT compiles the engine for that client alone, as in a program that uses
 * one.
 */
public final class SequentialComparison {

    private SequentialComparison() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 4 || args.length > 5 || args.length == 5 && !args[4].equals("point4")) {
            System.err.println("usage: SequentialComparison TRANSPORT nginx|range-server WARMUP_ROUNDS ROUNDS [point4]");
            System.exit(2);
        }
        SequentialThroughputBenchmark bench = new SequentialThroughputBenchmark();
        bench.transport = args[0];
        bench.server = args[1];
        int warmup = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        // point4: the plain GET and inputStream() alone, as the issue states it (nothing else in the
        // heap); else the two floors too, whose 64 MiB of arrays share the 256 MiB heap.
        int workloads = args.length == 5 ? 2 : 4;
        bench.start();
        List<double[]> measured = new ArrayList<>();
        try {
            for (int round = 0; round < warmup + rounds; round++) {
                double[] seconds = new double[8]; // wall seconds per workload, then process CPU seconds
                String requests = "";
                for (int k = 0; k < workloads; k++) {
                    int which = (round + k) % workloads; // each workload goes first, second, ... in turn
                    long start = System.nanoTime();
                    long cpu = SequentialThroughputBenchmark.cpuNanos();
                    switch (which) {
                        case 0 -> bench.plainGet();
                        case 1 -> {
                            bench.rangeStreamInputStream();
                            requests = bench.last.replaceAll(".*\\| ", ""); // the stream's stats
                        }
                        case 2 -> bench.storeFloor();
                        default -> bench.plainGetIntoRing();
                    }
                    seconds[which] = (System.nanoTime() - start) / 1e9;
                    seconds[4 + which] = (SequentialThroughputBenchmark.cpuNanos() - cpu) / 1e9;
                }
                boolean warm = round >= warmup;
                System.out.printf(Locale.ROOT, "%s round %d: plain %.3f s, inputStream %.3f s (%.2fx)%s; %s%n",
                        warm ? "measured" : "warm-up", round + 1, seconds[0], seconds[1], seconds[0] / seconds[1],
                        workloads == 2 ? "" : String.format(Locale.ROOT, ", floor %.3f s (%.2fx), into ring %.3f s (%.2fx)",
                                seconds[2], seconds[0] / seconds[2], seconds[3], seconds[0] / seconds[3]),
                        requests);
                if (warm) {
                    measured.add(seconds);
                }
            }
        } finally {
            bench.stop();
        }
        System.out.printf(Locale.ROOT, "%s / %s, %d rounds, medians: plain %.3f s/GiB, inputStream %.3f s/GiB%s;"
                        + " inputStream %s of plain%s (median of per-round ratios, quartiles in brackets);"
                        + " process CPU per GiB, medians: plain %.2f s, inputStream %.2f s%s%n",
                bench.transport, bench.server, measured.size(), quantile(measured, r -> r[0], 0.5),
                quantile(measured, r -> r[1], 0.5),
                workloads == 2 ? "" : String.format(Locale.ROOT, ", floor %.3f s/GiB, into ring %.3f s/GiB",
                        quantile(measured, r -> r[2], 0.5), quantile(measured, r -> r[3], 0.5)),
                ratio(measured, r -> r[0] / r[1]),
                workloads == 2 ? "" : ", floor " + ratio(measured, r -> r[0] / r[2]) + ", into ring "
                        + ratio(measured, r -> r[0] / r[3]),
                quantile(measured, r -> r[4], 0.5), quantile(measured, r -> r[5], 0.5),
                workloads == 2 ? "" : String.format(Locale.ROOT, ", floor %.2f s, into ring %.2f s",
                        quantile(measured, r -> r[6], 0.5), quantile(measured, r -> r[7], 0.5)));
    }

    /** The median ratio with its quartiles: on this machine one number alone hides how far rounds spread. */
    private static String ratio(List<double[]> rounds, ToDoubleFunction<double[]> value) {
        return String.format(Locale.ROOT, "%.2fx [%.2f-%.2f]", quantile(rounds, value, 0.5), quantile(rounds, value, 0.25),
                quantile(rounds, value, 0.75));
    }

    /** The {@code q} quantile of the rounds' values, interpolated between the two nearest. */
    private static double quantile(List<double[]> rounds, ToDoubleFunction<double[]> value, double q) {
        double[] v = rounds.stream().mapToDouble(value).sorted().toArray();
        double at = q * (v.length - 1);
        int below = (int) Math.floor(at);
        int above = Math.min(v.length - 1, below + 1);
        return v[below] + (at - below) * (v[above] - v[below]);
    }
}
