package io.rangestreams.tck.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.Range;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.tck.Fault;
import io.rangestreams.tck.RangeServer;
import io.rangestreams.tck.RangeServer.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 3's behaviours, shown for each bundled transport against {@link RangeServer}. */
@ParameterizedClass(name = "{0}")
@EnumSource(TransportKind.class)
class TransportBehaviourTest {

    private static final String PATH = "/data.bin";
    private static final long LENGTH = 1_000_003;

    private final TransportKind kind;
    private RangeServer server;
    private URI uri;

    TransportBehaviourTest(TransportKind kind) {
        this.kind = kind;
    }

    @BeforeEach
    void startServer() throws IOException {
        server = RangeServer.start();
        uri = server.add(PATH, LENGTH);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private RangeTransport transport() {
        return kind.create(TransportKind.options());
    }

    private static byte[] body(RangeResponse response) throws IOException {
        try (response; InputStream in = response.body()) {
            return in.readAllBytes();
        }
    }

    private byte[] expected(Range range) {
        return server.expected(PATH, range);
    }

    @Nested
    class ExactBytes {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"closed [1000, 5096)", "open [999000, end)", "suffix last 777"})
        void returnsExactlyTheRequestedBytes(String which) throws IOException {
            Range range = switch (which.split(" ")[0]) {
                case "closed" -> Range.of(1000, 5096);
                case "open" -> Range.from(999_000);
                default -> Range.suffix(777);
            };
            try (RangeTransport t = transport()) {
                RangeResponse response = t.send(RangeRequest.get(uri, range));
                assertThat(response.status()).as("%s status for %s", kind, range).isEqualTo(206);
                Range resolved = range.resolve(LENGTH);
                assertThat(response.contentRange().flatMap(c -> c.range()))
                        .as("%s Content-Range for %s", kind, range).contains(resolved);
                assertThat(body(response)).as("%s body of %s", kind, range).isEqualTo(expected(range));
            }
            assertThat(server.requests(PATH).get(0).range())
                    .as("%s Range header sent for %s", kind, range)
                    .contains(RangeRequest.get(uri, range).rangeHeader().orElseThrow());
        }

        @Test
        void headReturnsHeadersAndAnEmptyBody() throws IOException {
            try (RangeTransport t = transport()) {
                RangeResponse response = t.send(RangeRequest.head(uri));
                assertThat(response.status()).as("%s HEAD status", kind).isEqualTo(200);
                assertThat(response.contentLength()).as("%s HEAD Content-Length", kind).hasValue(LENGTH);
                assertThat(body(response)).as("%s HEAD body", kind).isEmpty();
            }
        }

        @Test
        void yieldsTheFileBytesFromAServerThatGzipsWheneverAllowed() throws IOException {
            server.fault(PATH, new Fault.GzipWhenAllowed());
            Range range = Range.of(10_000, 60_000);
            try (RangeTransport t = transport()) {
                RangeResponse response = t.send(RangeRequest.get(uri, range));
                assertThat(response.header("Content-Encoding")).as("%s Content-Encoding", kind).isEmpty();
                assertThat(body(response)).as("%s body of %s from a gzipping server", kind, range)
                        .isEqualTo(expected(range));
            }
            assertThat(server.requests(PATH)).as("%s requests", kind).singleElement()
                    .satisfies(r -> assertThat(r.header("Accept-Encoding")).as("%s Accept-Encoding", kind)
                            .contains("identity"));
        }

        @Test
        void identityEvenOverTheCallersClientWhoseDefaultsAskForGzip() throws IOException {
            server.close();
            server = RangeServer.startHttps();
            uri = server.add(PATH, LENGTH);
            server.fault(PATH, new Fault.GzipWhenAllowed());
            Range range = Range.of(5, 70_000);
            try (RangeTransport t = kind.overCallersClient(server, TransportKind.options())) {
                assertThat(body(t.send(RangeRequest.get(server.uri(PATH), range))))
                        .as("%s (caller's client) body of %s from a gzipping server", kind, range)
                        .isEqualTo(expected(range));
            }
            assertThat(server.requests(PATH).get(0).header("Accept-Encoding"))
                    .as("%s (caller's client) Accept-Encoding", kind).contains("identity");
        }

        @Test
        void sendsTheOptionsHeadersAndTheRequestsOwn() throws IOException {
            TransportOptions options = TransportKind.options()
                    .withHeader("Authorization", "Bearer token-1")
                    .withHeader("User-Agent", "test-agent/1");
            try (RangeTransport t = kind.create(options)) {
                body(t.send(RangeRequest.get(uri, Range.of(0, 10)).withHeader("If-Range", server.etag(PATH))));
            }
            RecordedRequest seen = server.requests(PATH).get(0);
            assertThat(seen.header("Authorization")).as("%s Authorization", kind).contains("Bearer token-1");
            assertThat(seen.header("User-Agent")).as("%s User-Agent", kind).contains("test-agent/1");
            assertThat(seen.header("If-Range")).as("%s If-Range", kind).contains(server.etag(PATH));
        }

        @Test
        void passesErrorStatusesThrough() throws IOException {
            try (RangeTransport t = transport()) {
                RangeResponse response = t.send(RangeRequest.get(uri, Range.of(LENGTH + 10, LENGTH + 20)));
                assertThat(response.status()).as("%s status for a range past the end", kind).isEqualTo(416);
                body(response);
                RangeResponse missing = t.send(RangeRequest.get(server.uri("/missing"), Range.of(0, 1)));
                assertThat(missing.status()).as("%s status for a missing resource", kind).isEqualTo(404);
                body(missing);
            }
        }
    }

    @Nested
    class Redirects {

        @ParameterizedTest(name = "status {0}")
        @ValueSource(ints = {301, 302, 303, 307, 308})
        void followsARedirectWithinTheOriginAndReportsTheFinalUri(int status) throws IOException {
            server.fault(PATH, new Fault.Redirect(Fault.Redirect.Kind.SAME_ORIGIN, status));
            Range range = Range.of(100, 4196);
            try (RangeTransport t = transport()) {
                RangeResponse response = t.send(RangeRequest.get(uri, range));
                assertThat(response.uri()).as("%s final URI after %d", kind, status)
                        .isEqualTo(server.uri("/redirected" + PATH));
                assertThat(body(response)).as("%s body after %d", kind, status).isEqualTo(expected(range));
            }
            assertThat(server.requests("/redirected" + PATH)).as("%s redirected requests after %d", kind, status)
                    .singleElement()
                    .satisfies(r -> assertThat(r.range()).as("%s range kept after %d", kind, status)
                            .contains("bytes=100-4195"));
        }

        @Test
        void dropsAuthorizationAndCookiesOnARedirectToAnotherOrigin() throws IOException {
            server.fault(PATH, new Fault.Redirect(Fault.Redirect.Kind.CROSS_ORIGIN, 302));
            Range range = Range.of(0, 4096);
            TransportOptions options = TransportKind.options().withHeader("Authorization", "Bearer secret");
            try (RangeTransport t = kind.create(options)) {
                RangeResponse response = t.send(RangeRequest.get(uri, range).withHeader("Cookie", "session=s3"));
                assertThat(response.uri()).as("%s final URI", kind).isEqualTo(server.otherOriginUri(PATH));
                assertThat(body(response)).as("%s body from the other origin", kind).isEqualTo(expected(range));
            }
            List<RecordedRequest> requests = server.requests(PATH);
            assertThat(requests).as("%s requests", kind).hasSize(2);
            RecordedRequest first = requests.get(0);
            RecordedRequest second = requests.get(1);
            assertThat(first.port()).as("%s first request's port", kind).isEqualTo(server.port());
            assertThat(first.header("Authorization")).as("%s Authorization to the first origin", kind)
                    .contains("Bearer secret");
            assertThat(first.header("Cookie")).as("%s Cookie to the first origin", kind).contains("session=s3");
            assertThat(second.port()).as("%s second request's port", kind)
                    .isEqualTo(server.otherOriginUri(PATH).getPort());
            assertThat(second.header("Authorization")).as("%s Authorization to another origin", kind).isEmpty();
            assertThat(second.header("Cookie")).as("%s Cookie to another origin", kind).isEmpty();
            assertThat(second.header("Accept-Encoding")).as("%s Accept-Encoding to another origin", kind)
                    .contains("identity");
            assertThat(second.range()).as("%s Range to another origin", kind).contains("bytes=0-4095");
        }

        @Test
        void endsARedirectLoopWithAClearError() {
            server.fault(PATH, new Fault.Redirect(Fault.Redirect.Kind.LOOP, 302));
            try (RangeTransport t = transport()) {
                assertThatThrownBy(() -> t.send(RangeRequest.get(uri, Range.of(0, 10))))
                        .as("%s on a redirect loop", kind)
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("redirect loop")
                        .hasMessageContaining(uri.toString());
            }
        }

        @Test
        void followsNoMoreRedirectsThanConfigured() throws IOException {
            server.fault(PATH, new Fault.Redirect(Fault.Redirect.Kind.SAME_ORIGIN, 307));
            try (RangeTransport t = kind.create(TransportKind.options().withMaxRedirects(0))) {
                assertThatThrownBy(() -> t.send(RangeRequest.get(uri, Range.of(0, 10))))
                        .as("%s with maxRedirects 0", kind)
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("too many redirects (more than 0)");
            }
            try (RangeTransport t = kind.create(TransportKind.options().withMaxRedirects(1))) {
                assertThat(body(t.send(RangeRequest.get(uri, Range.of(0, 10)))))
                        .as("%s with maxRedirects 1", kind).isEqualTo(expected(Range.of(0, 10)));
            }
        }

        @Test
        void refusesARedirectFromHttpsToHttp() throws IOException {
            server.close();
            server = RangeServer.startHttps();
            server.add(PATH, LENGTH);
            server.fault(PATH, new Fault.Redirect(Fault.Redirect.Kind.HTTPS_TO_HTTP, 302));
            URI secure = server.httpsUri(PATH);
            try (RangeTransport t = kind.overCallersClient(server, TransportKind.options())) {
                assertThatThrownBy(() -> t.send(RangeRequest.get(secure, Range.of(0, 10))))
                        .as("%s on a redirect from https to http", kind)
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("refusing redirect from https to http");
            }
            assertThat(server.requests(PATH)).as("%s requests (none may reach http)", kind).singleElement()
                    .satisfies(r -> assertThat(r.port()).as("%s port of the only request", kind)
                            .isEqualTo(secure.getPort()));
        }
    }

    @Nested
    class Timeouts {

        private final TransportOptions shortRead = TransportKind.options().withReadTimeout(Duration.ofMillis(500));

        @Test
        void aServerStallingMidBodyEndsInATimeout() throws IOException {
            server.fault(PATH, new Fault.SlowBody(16 * 1024, Duration.ofSeconds(30)));
            try (RangeTransport t = kind.create(shortRead)) {
                RangeResponse response = t.send(RangeRequest.get(uri, Range.of(0, 500_000)));
                assertThat(response.status()).as("%s status before the stall", kind).isEqualTo(206);
                assertThatThrownBy(() -> body(response))
                        .as("%s reading a body that stalls after 16 KiB", kind)
                        .isInstanceOf(IOException.class)
                        .satisfies(e -> assertThat(e.toString().toLowerCase(Locale.ROOT))
                                .as("%s timeout error", kind).containsAnyOf("timeout", "timed out"));
            }
        }

        @Test
        void aServerStallingBeforeTheHeadersEndsInATimeout() {
            server.fault(PATH, new Fault.Latency(Duration.ofSeconds(30)));
            try (RangeTransport t = kind.create(shortRead)) {
                assertThatThrownBy(() -> t.send(RangeRequest.get(uri, Range.of(0, 10))))
                        .as("%s waiting for headers that never come", kind)
                        .isInstanceOf(IOException.class)
                        .satisfies(e -> assertThat(e.toString().toLowerCase(Locale.ROOT))
                                .as("%s timeout error", kind).containsAnyOf("timeout", "timed out"));
            }
        }

        @Test
        void aRefusedConnectionIsAnIOException() throws IOException {
            URI closed = closedPortUri();
            try (RangeTransport t = transport()) {
                assertThatThrownBy(() -> t.send(RangeRequest.get(closed, Range.of(0, 10))))
                        .as("%s connecting to %s", kind, closed)
                        .isInstanceOf(IOException.class);
            }
        }
    }

    @Nested
    class Connections {

        @Test
        void reusesConnectionsAcross200SequentialRequests() throws IOException {
            try (RangeTransport t = transport()) {
                for (int i = 0; i < 200; i++) {
                    Range range = Range.of(i * 4096L, i * 4096L + 4096);
                    assertThat(body(t.send(RangeRequest.get(uri, range)))).as("%s body of %s", kind, range)
                            .isEqualTo(expected(range));
                }
            }
            assertThat(server.connectionsAccepted()).as("%s connections for 200 sequential requests", kind)
                    .isLessThanOrEqualTo(3);
        }

        @Test
        void givesEachOf32ThreadsSharingOneTransportItsOwnExactBytes() throws Exception {
            assertConcurrentReadsAreExact(transport(), 32, 10);
        }

        @Test
        void keepsToTheConfiguredMaximumOfConnections() throws Exception {
            assertConcurrentReadsAreExact(kind.create(TransportKind.options().withMaxConnections(4)), 32, 5);
            assertThat(server.connectionsAccepted()).as("%s connections with maxConnections 4 and 32 threads", kind)
                    .isLessThanOrEqualTo(4);
        }

        private void assertConcurrentReadsAreExact(RangeTransport transport, int threads, int each) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            try (transport) {
                List<Future<?>> results = new ArrayList<>();
                for (int thread = 0; thread < threads; thread++) {
                    int id = thread;
                    results.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < each; i++) {
                            long from = (id * 7919L + i * 104_729L) % (LENGTH - 20_000);
                            Range range = Range.of(from, from + 1000 + id * 300L + i);
                            assertThat(body(transport.send(RangeRequest.get(uri, range))))
                                    .as("%s thread %d body of %s", kind, id, range).isEqualTo(expected(range));
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : results) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        void closeIsIdempotentAndSendAfterCloseIsRefused() {
            RangeTransport t = transport();
            t.close();
            t.close();
            assertThatThrownBy(() -> t.send(RangeRequest.get(uri, Range.of(0, 1))))
                    .as("%s send after close", kind).isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    class CallersClientAndOptions {

        @Test
        void keepsTheCallersClientSettings() throws IOException {
            server.close();
            server = RangeServer.startHttps();
            server.add(PATH, LENGTH);
            URI secure = server.httpsUri(PATH);
            Range range = Range.of(123, 40_000);
            try (RangeTransport t = kind.overCallersClient(server, TransportKind.options())) {
                RangeResponse response = t.send(RangeRequest.get(secure, range));
                assertThat(response.uri()).as("%s (caller's client) URI", kind).isEqualTo(secure);
                assertThat(body(response)).as("%s (caller's client, its TLS settings) body over https", kind)
                        .isEqualTo(expected(range));
            }
            Optional<String> marker = kind.callerHeader();
            if (marker.isPresent()) {
                assertThat(server.requests(PATH).get(0).header(TransportKind.CALLER_HEADER))
                        .as("%s header added by the caller's client", kind).isEqualTo(marker);
            }
        }

        @Test
        void stripsCredentialsCrossOriginEvenWhenTheCallersClientWouldFollowRedirects() throws IOException {
            server.close();
            server = RangeServer.startHttps();
            uri = server.add(PATH, LENGTH);
            server.fault(PATH, new Fault.Redirect(Fault.Redirect.Kind.CROSS_ORIGIN, 301));
            TransportOptions options = TransportKind.options().withHeader("Authorization", "Bearer secret");
            try (RangeTransport t = kind.overCallersClient(server, options)) {
                assertThat(body(t.send(RangeRequest.get(uri, Range.of(0, 100)))))
                        .as("%s (caller's client) body after a cross-origin redirect", kind)
                        .isEqualTo(expected(Range.of(0, 100)));
            }
            assertThat(server.requests(PATH)).as("%s (caller's client) requests", kind).hasSize(2);
            assertThat(server.requests(PATH).get(1).header("Authorization"))
                    .as("%s (caller's client) Authorization to another origin", kind).isEmpty();
        }

        @Test
        void sendsThroughTheConfiguredProxy() throws IOException {
            // The target's own port refuses connections: the bytes can only come through the proxy.
            URI target = URI.create("http://127.0.0.1:" + closedPortUri().getPort() + PATH);
            TransportOptions options = TransportKind.options()
                    .withProxy(new InetSocketAddress("127.0.0.1", server.port()));
            Range range = Range.of(0, 8192);
            try (RangeTransport t = kind.create(options)) {
                assertThat(t.capabilities()).as("%s capabilities", kind).contains(RangeTransport.Capability.PROXY);
                assertThat(body(t.send(RangeRequest.get(target, range)))).as("%s body through the proxy", kind)
                        .isEqualTo(expected(range));
            }
            assertThat(server.requests(PATH).get(0).header("Host")).as("%s Host header through the proxy", kind)
                    .contains(target.getAuthority());
        }
    }

    private static URI closedPortUri() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        return URI.create("http://127.0.0.1:" + port + PATH);
    }
}
