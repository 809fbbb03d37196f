package io.rangestreams.tck.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.tck.RangeServer;
import io.rangestreams.transport.jdk.JdkRangeTransport;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The JDK transport built from options runs two clients, and sends each exchange through the one with
 * fewer in flight: two bodies open at once are read from their sockets on two selector threads (a JDK
 * client reads all its connections on one), so a long read streamed over two connections uses two
 * cores. Over the caller's own client, that client alone.
 */
class JdkTwoClientsTest {

    private static final int MIB = 1024 * 1024;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Test
    void twoBodiesOpenAtOnceAreReadOnTwoSelectorThreads() throws IOException {
        Assumptions.assumeTrue(THREADS.isThreadCpuTimeSupported(), "per-thread CPU time is not measured here");
        Set<Long> before = selectorThreads();
        try (RangeServer server = RangeServer.start();
                JdkRangeTransport transport = new JdkRangeTransport(TransportKind.options())) {
            Set<Long> started = selectorThreads();
            started.removeAll(before);
            assertThat(started).as("selector threads started by a jdk transport built from options").hasSize(2);
            assertThat(transport.sequentialConnections()).as("connections a long read should keep busy").isEqualTo(2);
            List<Long> threads = List.copyOf(started);
            long[] cpuBefore = cpu(threads);

            URI uri = server.add("/two.bin", 32L * MIB);
            Range first = Range.of(0, 16L * MIB);
            Range second = Range.of(16L * MIB, 32L * MIB);
            try (RangeResponse a = transport.send(RangeRequest.get(uri, first));
                    RangeResponse b = transport.send(RangeRequest.get(uri, second));
                    InputStream inA = a.body();
                    InputStream inB = b.body()) {
                // In turns, 1 MiB from each, so both exchanges are in flight until both end.
                for (int i = 0; i < 16; i++) {
                    readMib(server, inA, first.start() + (long) i * MIB);
                    readMib(server, inB, second.start() + (long) i * MIB);
                }
                assertThat(inA.read()).as("end of the first body").isEqualTo(-1);
                assertThat(inB.read()).as("end of the second body").isEqualTo(-1);
            }

            long[] cpuAfter = cpu(threads);
            long one = cpuAfter[0] - cpuBefore[0];
            long other = cpuAfter[1] - cpuBefore[1];
            // Each thread read 16 MiB from its socket; with one client, one thread would have read all
            // 32 MiB and the other none.
            assertThat(Math.min(one, other))
                    .as("CPU ns of the two selector threads while they read 16 MiB each: %d and %d", one, other)
                    .isGreaterThan(Math.max(one, other) / 5);
        }
    }

    @Test
    void overTheCallersClientOneConnectionIsKeptBusy() {
        try (JdkRangeTransport transport = new JdkRangeTransport(HttpClient.newHttpClient())) {
            assertThat(transport.sequentialConnections()).as("connections a long read should keep busy over one client")
                    .isEqualTo(1);
        }
    }

    private static void readMib(RangeServer server, InputStream body, long position) throws IOException {
        Range step = Range.of(position, position + MIB);
        assertThat(body.readNBytes(MIB)).as("bytes %s", step).isEqualTo(server.expected("/two.bin", step));
    }

    /** The ids of the JDK clients' selector threads alive now. */
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
