package io.rangestreams.bench.transport;

import io.rangestreams.Range;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.tck.RangeServer;
import io.rangestreams.transport.jdk.JdkRangeTransport;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The CPU time each selector thread of the JDK transport (built from options: two clients) spends while
 * two 16 MiB bodies from {@code RangeServer} are read at once, in turns: with two clients, each thread
 * reads one body; with one, one thread would read both.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.rangestreams.bench.transport.JdkSelectorThreads}
 */
public final class JdkSelectorThreads {

    private static final int MIB = 1024 * 1024;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private JdkSelectorThreads() {}

    public static void main(String[] args) throws IOException {
        Set<Long> before = selectorThreads();
        try (RangeServer server = RangeServer.start();
                JdkRangeTransport transport = new JdkRangeTransport(TransportOptions.defaults())) {
            Set<Long> started = selectorThreads();
            started.removeAll(before);
            List<Long> threads = List.copyOf(started);
            long[] cpuBefore = cpu(threads);
            URI uri = server.add("/two.bin", 32L * MIB);
            try (RangeResponse a = transport.send(RangeRequest.get(uri, Range.of(0, 16L * MIB)));
                    RangeResponse b = transport.send(RangeRequest.get(uri, Range.of(16L * MIB, 32L * MIB)));
                    InputStream inA = a.body();
                    InputStream inB = b.body()) {
                for (int i = 0; i < 16; i++) {
                    inA.readNBytes(MIB);
                    inB.readNBytes(MIB);
                }
            }
            long[] cpuAfter = cpu(threads);
            StringBuilder out = new StringBuilder("selector threads started: " + threads.size() + "; CPU ms each:");
            for (int i = 0; i < threads.size(); i++) {
                out.append(' ').append((cpuAfter[i] - cpuBefore[i]) / 1_000_000);
            }
            System.out.println(out);
        }
    }

    private static Set<Long> selectorThreads() {
        Set<Long> ids = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager")) {
                ids.add(t.getId());
            }
        }
        return ids;
    }

    private static long[] cpu(List<Long> threads) {
        return threads.stream().mapToLong(THREADS::getThreadCpuTime).toArray();
    }
}
