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
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * Through OkHttp, an HTTP/1 body is read without Okio's own per-read timeout, whose watchdog thread
 * was woken every few socket reads. The socket's {@code SO_TIMEOUT},
 * which OkHttp sets to the read timeout, still bounds every read: TCK rule T10 checks that a stalled
 * body still times out over http, and this test over https (a TLS socket honours it too). The
 * benchmarks' {@code OkHttpWatchdogWakeUps} counts the watchdog's wake-ups.
 */
class OkHttpBodyTimeoutTest {

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
}
