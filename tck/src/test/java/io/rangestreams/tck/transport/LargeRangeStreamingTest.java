package io.rangestreams.tck.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bodies are streamed, never buffered whole: each transport reads a 1 GiB range (past the 2 GiB mark) in a
 * forked JVM started with {@code -Xmx64m}. The server generates the bytes as it sends them, so the test
 * costs no memory on either side.
 */
class LargeRangeStreamingTest {

    private static final long GIB = 1L << 30;

    @ParameterizedTest(name = "{0}")
    @EnumSource(TransportKind.class)
    void readsA1GiBRangeWithA64MiBHeap(TransportKind kind) throws IOException, InterruptedException {
        try (RangeServer server = RangeServer.start()) {
            String path = "/huge.bin";
            URI uri = server.add(path, 3 * GIB);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                    LargeRangeReader.class.getName(), kind.name(), uri.toString(), Long.toString(2 * GIB),
                    Long.toString(GIB))
                    .redirectErrorStream(true)
                    .start();
            // While the child reads, compute what it should see (the child prints only when done).
            CRC32 expected = new CRC32();
            for (long at = 2 * GIB; at < 3 * GIB; at += 16 << 20) {
                expected.update(server.expected(path, Range.of(at, at + (16 << 20))));
            }
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("%s child JVM ended", kind).isTrue();
            assertThat(child.exitValue()).as("%s child JVM exit status; output:%n%s", kind, output).isZero();
            assertThat(output).as("%s child JVM output", kind)
                    .contains("read " + GIB + " bytes, crc32 " + expected.getValue() + ",");
            long maxHeap = Long.parseLong(output.replaceAll("(?s).*max heap (\\d+).*", "$1").trim());
            assertThat(maxHeap).as("%s child JVM max heap", kind).isLessThanOrEqualTo(64L << 20);
            assertThat(server.requests(path)).as("%s requests", kind).hasSize(1);
            assertThat(server.bytesServed(path)).as("%s bytes served", kind).isEqualTo(GIB);
        }
    }

}
