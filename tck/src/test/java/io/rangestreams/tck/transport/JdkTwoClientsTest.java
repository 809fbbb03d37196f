package io.rangestreams.tck.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.spi.BodyReading;
import io.rangestreams.transport.jdk.JdkRangeTransport;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The JDK transport built from options runs two clients (a JDK client reads all its connections on one
 * selector thread), and says so in {@link JdkRangeTransport#bodyReading()}. How the CPU time splits
 * between the two threads is measured by the benchmarks' {@code JdkSelectorThreads}.
 */
class JdkTwoClientsTest {

    @Test
    void builtFromOptionsItStartsTwoSelectorThreadsAndSaysSo() {
        Set<Long> before = selectorThreads();
        try (JdkRangeTransport transport = new JdkRangeTransport(TransportKind.options())) {
            Set<Long> started = selectorThreads();
            started.removeAll(before);
            assertThat(started).as("selector threads started by a jdk transport built from options").hasSize(2);
            assertThat(transport.bodyReading()).as("bodyReading() of a jdk transport built from options")
                    .isEqualTo(BodyReading.onClientThreads(started.size(), true));
        }
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
}
