package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.Range;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** T8 to T10: streaming, concurrency and timeouts. */
abstract class TransportStreamingAndConcurrencyRules extends TransportFixture {

    TransportStreamingAndConcurrencyRules(RangeTransportContract contract) {
        super(contract);
    }

    @Test
    @DisplayName("T8 the body is streamed: its first bytes arrive while the server holds the rest")
    final void bodyIsStreamed() throws Exception {
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server().fault(PATH, new Fault.Gate(8192, reached, release));
        RangeTransport t = transport();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<byte[]> first = pool.submit(() -> {
                RangeResponse response = t.send(RangeRequest.get(uri(), Range.of(0, 90_000)));
                return response.body().readNBytes(8192);
            });
            byte[] head;
            try {
                head = first.get(2, TimeUnit.MINUTES);
            } catch (TimeoutException e) {
                throw new AssertionError(t.name() + ": the first 8192 bytes of [0, 90000) did not arrive while"
                        + " the server held the rest: the transport buffers whole bodies", e);
            }
            assertThat(head).as("%s: first 8192 bytes, streamed", t.name()).isEqualTo(expected(Range.of(0, 8192)));
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("T9 many threads sending at once each get their own exact bytes")
    final void concurrentRequests() throws Exception {
        RangeTransport t = transport();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                Range r = Range.of(i * 1000L, i * 1000L + 1500);
                Callable<Void> task = () -> {
                    assertThat(body(t.send(RangeRequest.get(uri(), r)))).as("%s: concurrent body of %s", t.name(), r)
                            .isEqualTo(expected(r));
                    return null;
                };
                done.add(pool.submit(task));
            }
            for (Future<Void> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("T9 sequential requests reuse one connection")
    final void connectionsAreReused() throws IOException {
        RangeTransport t = transport();
        for (int i = 0; i < 5; i++) {
            body(t.send(RangeRequest.get(uri(), Range.of(i * 100L, i * 100L + 100))));
        }
        assertThat(server().requests(PATH).stream().map(RangeServer.RecordedRequest::connection).distinct())
                .as("%s: connections used by 5 sequential requests", t.name()).hasSize(1);
    }

    @Test
    @DisplayName("T10 a body stalled longer than the read timeout ends in an IOException")
    final void stalledBodyTimesOut() throws Exception {
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server().fault(PATH, new Fault.Gate(1000, reached, release));
        RangeTransport t = transport(defaultOptions().withReadTimeout(Duration.ofMillis(300)));
        try {
            Throwable thrown = Deadline.ioFailureWithin(Duration.ofMinutes(2),
                    t.name() + ": reading a body that stalls after 1000 bytes with read timeout 300 ms",
                    () -> body(t.send(RangeRequest.get(uri(), Range.of(0, 50_000)))));
            assertThat(thrown).as("%s: a body that stalls after 1000 bytes, read timeout 300 ms", t.name())
                    .isInstanceOf(IOException.class);
        } finally {
            release.countDown();
        }
    }

    @Test
    @DisplayName("T10 a server that answers later than the read timeout, or a refused connection, is an IOException")
    final void lateAnswerAndRefusedConnection() throws Exception {
        server().fault(PATH, new Fault.Latency(Duration.ofSeconds(3)));
        RangeTransport t = transport(defaultOptions().withReadTimeout(Duration.ofMillis(300)));
        Throwable late = Deadline.ioFailureWithin(Duration.ofMinutes(2), t.name() + ": a request answered after 3 s with"
                + " read timeout 300 ms", () -> body(t.send(RangeRequest.get(uri(), Range.of(0, 10)))));
        assertThat(late).as("%s: no answer within the read timeout", t.name()).isInstanceOf(IOException.class);
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        URI closed = URI.create((overHttps() ? "https" : "http") + "://127.0.0.1:" + port + "/nothing");
        assertThatThrownBy(() -> body(t.send(RangeRequest.get(closed, Range.of(0, 10)))))
                .as("%s: connection refused at %s", t.name(), closed).isInstanceOf(IOException.class);
    }

    @Test
    @DisplayName("T10 requests go through the configured HTTP proxy")
    final void proxy() throws IOException {
        RangeTransport probe = transport();
        Assumptions.assumeTrue(probe.capabilities().contains(RangeTransport.Capability.PROXY),
                () -> "transport " + probe.name() + " does not declare PROXY");
        Assumptions.assumeFalse(overHttps(), "over https a proxy is a CONNECT tunnel, which RangeServer does not"
                + " serve: the rule runs over http");
        // RangeServer answers absolute-form request targets like any origin, so it can act as the proxy:
        // a request for an unreachable origin must still arrive here.
        RangeTransport t = transport(defaultOptions().withProxy(new InetSocketAddress("127.0.0.1", server().port())));
        URI viaProxy = URI.create("http://tck.invalid" + PATH);
        RangeResponse response = t.send(RangeRequest.get(viaProxy, Range.of(0, 100)));
        assertThat(body(response)).as("%s: body of %s through the proxy", t.name(), viaProxy)
                .isEqualTo(expected(Range.of(0, 100)));
    }
}
