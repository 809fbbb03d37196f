package io.rangestreams.tck.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.rangestreams.Range;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.tck.Fault;
import io.rangestreams.tck.RangeServer;
import io.rangestreams.transport.okhttp.OkHttpRangeTransport;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Through OkHttp, an HTTP/1 body is read without Okio's own per-read timeout, whose watchdog thread
 * was woken every few socket reads (97,000 times in 3 GiB from nginx). The socket's {@code SO_TIMEOUT},
 * which OkHttp sets to the read timeout, still bounds every read: TCK rule T10 checks that a stalled
 * body still times out over http, and this test over https (a TLS socket honours it too).
 */
class OkHttpBodyTimeoutTest {

    private static final int MIB = 1024 * 1024;
    private static final Path TASKS = Path.of("/proc/self/task");

    @Test
    void aLongBodyIsReadWithoutWakingOkiosWatchdog() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(TASKS), "no /proc/self/task here to count a thread's wake-ups");
        try (RangeServer server = RangeServer.start();
                OkHttpRangeTransport transport = new OkHttpRangeTransport(TransportKind.options())) {
            URI uri = server.add("/long.bin", 33L * MIB);
            read(server, transport, uri, Range.of(0, MIB)); // the first exchange starts the watchdog
            long before = watchdogWakeUps();
            read(server, transport, uri, Range.of(MIB, 33L * MIB));
            long wakeUps = watchdogWakeUps() - before;
            // Timed by Okio, the socket reads of 32 MiB from RangeServer woke the watchdog 2,931 times.
            assertThat(wakeUps).as("wake-ups of Okio's watchdog thread while a 32 MiB body was read").isLessThan(64);
        }
    }

    @Test
    void aBodyStalledOverHttpsStillEndsAtTheReadTimeout() throws Exception {
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (RangeServer server = RangeServer.startHttps()) {
            server.add("/stall.bin", 50_000L);
            server.fault("/stall.bin", new Fault.Gate(1000, reached, release));
            OkHttpClient client = new OkHttpClient.Builder()
                    .sslSocketFactory(server.clientSslContext().getSocketFactory(), server.clientTrustManager())
                    .readTimeout(Duration.ofMillis(300))
                    .build();
            try (OkHttpRangeTransport transport = new OkHttpRangeTransport(client)) {
                IOException thrown = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(
                        IOException.class, () -> {
                            try (RangeResponse response = transport.send(
                                    RangeRequest.get(server.httpsUri("/stall.bin"), Range.of(0, 50_000)));
                                    InputStream in = response.body()) {
                                in.readAllBytes();
                            }
                        }), "reading an https body that stalls after 1,000 bytes, read timeout 300 ms");
                assertThat(reached.getCount()).as("the server reached its stall, 1,000 bytes into the body").isZero();
                assertThat(thrown).as("the failure of a stalled https body").isInstanceOf(SocketTimeoutException.class);
            } finally {
                release.countDown();
                client.dispatcher().executorService().shutdown();
                client.connectionPool().evictAll();
            }
        }
    }

    private static void read(RangeServer server, OkHttpRangeTransport transport, URI uri, Range range)
            throws IOException {
        try (RangeResponse response = transport.send(RangeRequest.get(uri, range));
                InputStream in = response.body()) {
            for (long pos = range.start(); pos < range.stop(); pos += MIB) {
                Range step = Range.of(pos, pos + MIB);
                assertThat(in.readNBytes(MIB)).as("bytes %s", step).isEqualTo(server.expected("/long.bin", step));
            }
            assertThat(in.read()).as("end of the body of %s", range).isEqualTo(-1);
        }
    }

    /** The voluntary context switches of the threads named "Okio Watchdog" (0 when there is none). */
    private static long watchdogWakeUps() throws IOException {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    if (!Files.readString(task.resolve("comm")).strip().equals("Okio Watchdog")) {
                        continue;
                    }
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            sum += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                        }
                    }
                } catch (NoSuchFileException e) {
                    // a thread that ended while listed
                }
            }
        }
        return sum;
    }
}
