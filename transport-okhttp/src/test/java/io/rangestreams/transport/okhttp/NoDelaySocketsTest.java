package io.rangestreams.transport.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.spi.TransportOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * The transport's connections have Nagle's algorithm off: with it on, OkHttp's HTTP/2 held each small
 * frame back behind an unacknowledged one, and one multiplexed connection was slower than several
 * HTTP/1.1 ones (the benchmarks' {@code Http2Comparison}).
 */
class NoDelaySocketsTest {

    @Test
    void aConnectionTheTransportOpensHasNoDelaySet() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                OkHttpRangeTransport transport = new OkHttpRangeTransport(TransportOptions.defaults())) {
            CompletableFuture<Void> answered = CompletableFuture.runAsync(() -> answerOnce(server));
            AtomicReference<Boolean> noDelay = new AtomicReference<>();
            OkHttpClient client = transport.client().newBuilder().eventListener(new EventListener() {
                @Override
                public void connectionAcquired(Call call, Connection connection) {
                    try {
                        noDelay.set(connection.socket().getTcpNoDelay());
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }).build();
            Request request = new Request.Builder().url("http://127.0.0.1:" + server.getLocalPort() + "/").build();
            try (Response response = client.newCall(request).execute()) {
                assertThat(response.code()).as("the loopback server's answer").isEqualTo(200);
            }
            answered.join();
            assertThat(noDelay.get()).as("TCP_NODELAY on the connection's socket").isTrue();
        }
    }

    private static void answerOnce(ServerSocket server) {
        try (Socket socket = server.accept(); OutputStream out = socket.getOutputStream()) {
            socket.getInputStream().read(new byte[4096]); // the request's head, which is small
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
