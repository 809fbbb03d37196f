package io.rangestreams.bench.batch;

import io.rangestreams.Outcome;
import io.rangestreams.RangeClient;
import io.rangestreams.format.zip.ZipMember;
import io.rangestreams.format.zip.ZipStream;
import io.rangestreams.storage.memory.MemoryRangeStore;
import io.rangestreams.tck.Fault;
import io.rangestreams.tck.RangeServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Lists many small zips served with added latency per response: once as one batch over all of them
 * ({@code client.batch().run(uris, ZipStream.class, ...)}), once one zip after the other, in turn, round
 * after round in one JVM, each mode with a fresh client and store so neither finds the other's bytes.
 * Reports the time of each and the process's CPU time (client and server share the JVM), the requests
 * and body bytes the server sent, and the median ratio.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.rangestreams.bench.batch.ManyUrlsComparison
 * TRANSPORT ZIPS ROUNDS LATENCY_MS}, for example {@code jdk 1000 3 20}.
 */
public final class ManyUrlsComparison {

    private static final int MEMBERS = 40;

    private ManyUrlsComparison() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ManyUrlsComparison TRANSPORT ZIPS ROUNDS LATENCY_MS");
            System.exit(2);
        }
        String transport = args[0];
        int zips = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Duration latency = Duration.ofMillis(Long.parseLong(args[3]));
        try (RangeServer server = RangeServer.start()) {
            List<URI> uris = new ArrayList<>();
            long total = 0;
            for (int i = 0; i < zips; i++) {
                byte[] zip = zip(i);
                total += zip.length;
                String path = "/zips/" + i + ".zip";
                uris.add(server.add(path, zip));
                server.fault(path, new Fault.Latency(latency));
            }
            System.out.printf(Locale.ROOT, "%d zips of %d members, %d bytes in all, %d ms before each response, %s%n",
                    zips, MEMBERS, total, latency.toMillis(), transport);
            // Warm-up: the JIT compiles both paths on a tenth of the zips before anything is timed.
            List<URI> few = uris.subList(0, Math.max(1, zips / 10));
            measure(server, transport, few, true);
            measure(server, transport, few, false);
            double[] ratios = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                Result one = measure(server, transport, uris, false);
                Result batch = measure(server, transport, uris, true);
                ratios[round] = one.seconds / batch.seconds;
                System.out.printf(Locale.ROOT, "round %d: one at a time %s; batch %s; %.1fx%n", round + 1, one, batch,
                        ratios[round]);
            }
            Arrays.sort(ratios);
            System.out.printf(Locale.ROOT, "median %.1fx over %d rounds%n", ratios[rounds / 2], rounds);
        }
    }

    /** Seconds, process CPU seconds (client and server), requests and body bytes of one mode over {@code uris}. */
    private record Result(double seconds, double cpuSeconds, int requests, long bytes, int members) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.2f s (CPU %.2f s), %d requests, %d bytes, %d members", seconds,
                    cpuSeconds, requests, bytes, members);
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static Result measure(RangeServer server, String transport, List<URI> uris, boolean batch)
            throws IOException, InterruptedException {
        server.clearLog();
        int members = 0;
        try (RangeClient client = RangeClient.builder().transport(transport).store(new MemoryRangeStore()).build()) {
            long start = System.nanoTime();
            long cpu = cpuNanos();
            if (batch) {
                for (Outcome<List<ZipMember>> o : client.batch().run(uris, ZipStream.class, ZipStream::entries)) {
                    members += o.orElseThrow().size();
                }
            } else {
                for (URI uri : uris) {
                    try (ZipStream zip = client.open(uri, ZipStream.class)) {
                        members += zip.entries().size();
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (cpuNanos() - cpu) / 1e9;
            List<RangeServer.RecordedRequest> requests = server.requests();
            long bytes = requests.stream().mapToLong(RangeServer.RecordedRequest::bodyBytes).sum();
            return new Result(seconds, cpuSeconds, requests.size(), bytes, members);
        }
    }

    /** A small zip, different for each {@code seed}: text members, deflated, a few KiB in all. */
    static byte[] zip(int seed) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (int m = 0; m < MEMBERS; m++) {
                z.putNextEntry(new ZipEntry("pkg" + seed + "/dir" + (m % 4) + "/Member" + m + ".txt"));
                StringBuilder text = new StringBuilder();
                for (int line = 0; line < 20 + (seed + m) % 30; line++) {
                    text.append("zip ").append(seed).append(" member ").append(m).append(" line ").append(line)
                            .append('\n');
                }
                z.write(text.toString().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
