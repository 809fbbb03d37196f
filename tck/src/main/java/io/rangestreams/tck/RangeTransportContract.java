package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.Range;
import io.rangestreams.spi.BodyReading;
import io.rangestreams.spi.FillingBody;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.RangeTransportProvider;
import io.rangestreams.spi.TlsTrust;
import io.rangestreams.spi.TransportOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The conformance rules T1 to T16 of {@link RangeTransport} (stated in its javadoc), for one transport
 * implementation, against a {@link RangeServer} on 127.0.0.1. Certify a transport with a three-line
 * subclass in your test sources:
 *
 * <pre>{@code
 * class MyTransportContractTest extends RangeTransportContract {
 *     @Override protected RangeTransport newTransport() { return new MyTransport(); }
 * }
 * }</pre>
 *
 * <p>Override {@link #configuredTransport(TransportOptions)} as well if the transport can be built
 * from {@link TransportOptions}: the rules on option headers, the redirect limit and read timeouts
 * (T5, T7, T10) then run too; without it they are reported as skipped, with that reason. Likewise a
 * rule behind a {@link RangeTransport.Capability capability} the transport does not declare is
 * reported as skipped with the reason. Test methods are final: a rule cannot be overridden away.
 *
 * <p>Rule T14 looks the transport's {@link RangeTransportProvider} up with {@link ServiceLoader}, as
 * {@code RangeClient} does: register it in {@code META-INF/services}. A transport must pass this
 * contract and {@link RangeStreamContract} (with a certified store) alike: some faults show in one
 * only.
 */
public abstract class RangeTransportContract {

    private static final int LENGTH = 100_000;
    private static final String PATH = "/tck/data.bin";

    /** The server of the current test. */
    protected RangeServer server;

    private final List<RangeTransport> opened = new ArrayList<>();

    /** A new transport with its default settings; the contract closes it. */
    protected abstract RangeTransport newTransport();

    /**
     * A new transport configured with {@code options}, if the transport can be built from options; the
     * contract closes it. The default has none, and the rules that need options are skipped.
     */
    protected Optional<RangeTransport> configuredTransport(TransportOptions options) {
        return Optional.empty();
    }

    /**
     * Whether the rules run over https: the server then has a self-signed certificate, which
     * {@link #defaultOptions()} trust. The default is plain http; a subclass answering true certifies
     * the transport over TLS (and needs {@link #configuredTransport} to be given the trust).
     */
    protected boolean overHttps() {
        return false;
    }

    /**
     * The options most rules use: timeouts that end a hang within a minute yet never fail a healthy
     * request on a loaded machine, and over https trust in the server's certificate.
     */
    protected TransportOptions defaultOptions() {
        TransportOptions options = TransportOptions.defaults().withConnectTimeout(Duration.ofSeconds(30))
                .withReadTimeout(Duration.ofSeconds(60));
        return overHttps() ? options.withTrust(TlsTrust.of(server.clientTrustManager())) : options;
    }

    @BeforeEach
    final void startServer() throws IOException {
        server = overHttps() ? RangeServer.startHttps() : RangeServer.start();
        server.add(PATH, LENGTH);
    }

    @AfterEach
    final void stopServer() {
        for (RangeTransport t : opened) {
            t.close();
        }
        server.close();
    }

    /** The transport most rules use: configured with short timeouts when it can be, else its defaults. */
    private RangeTransport transport() {
        Optional<RangeTransport> configured = configuredTransport(defaultOptions());
        Assumptions.assumeTrue(configured.isPresent() || !overHttps(), "over https the transport must be built from"
                + " TransportOptions, to be given trust in the server's certificate (override configuredTransport)");
        RangeTransport t = configured.orElseGet(this::newTransport);
        opened.add(t);
        return t;
    }

    /** A transport with these options, or the rule is skipped: the backend cannot be configured. */
    private RangeTransport transport(TransportOptions options) {
        Optional<RangeTransport> t = configuredTransport(options);
        Assumptions.assumeTrue(t.isPresent(), "the transport is not built from TransportOptions"
                + " (override configuredTransport to certify option handling)");
        opened.add(t.get());
        return t.get();
    }

    private URI uri() {
        return uri(PATH);
    }

    /** The URI of {@code path} over the scheme the rules run over. */
    private URI uri(String path) {
        return overHttps() ? server.httpsUri(path) : server.uri(path);
    }

    /** The port of {@link #uri(String)}'s origin. */
    private int mainPort() {
        return overHttps() ? server.httpsPort() : server.port();
    }

    private static byte[] body(RangeResponse response) throws IOException {
        try (response; InputStream in = response.body()) {
            return in.readAllBytes();
        }
    }

    private byte[] expected(Range r) {
        return server.expected(PATH, r);
    }

    /** T1 to T4: what is asked is what comes back. */
    @Nested
    @DisplayName("T1-T4 requests and responses")
    class RequestsAndResponses {

        @Test
        @DisplayName("T1 a closed range returns 206 and exactly its bytes")
        final void closedRange() throws IOException {
            RangeTransport t = transport();
            for (Range r : List.of(Range.of(0, 1), Range.of(0, 1000), Range.of(12_345, 67_890), Range.of(LENGTH - 1, LENGTH))) {
                RangeResponse response = t.send(RangeRequest.get(uri(), r));
                assertThat(response.status()).as("%s: status for %s", t.name(), r).isEqualTo(206);
                assertThat(body(response)).as("%s: body for %s", t.name(), r).isEqualTo(expected(r));
            }
        }

        @Test
        @DisplayName("T1 open-ended and suffix ranges return exactly their bytes")
        final void openAndSuffixRanges() throws IOException {
            RangeTransport t = transport();
            RangeResponse open = t.send(RangeRequest.get(uri(), Range.from(90_000)));
            assertThat(open.status()).as("%s: status for bytes=90000-", t.name()).isEqualTo(206);
            assertThat(body(open)).as("%s: body for bytes=90000-", t.name()).isEqualTo(expected(Range.of(90_000, LENGTH)));
            RangeResponse suffix = t.send(RangeRequest.get(uri(), Range.suffix(777)));
            assertThat(suffix.status()).as("%s: status for bytes=-777", t.name()).isEqualTo(206);
            assertThat(body(suffix)).as("%s: body for bytes=-777", t.name())
                    .isEqualTo(expected(Range.of(LENGTH - 777, LENGTH)));
            RangeResponse pastEnd = t.send(RangeRequest.get(uri(), Range.of(LENGTH - 10, LENGTH + 500)));
            assertThat(pastEnd.status()).as("%s: status for a range running past the end", t.name()).isEqualTo(206);
            assertThat(body(pastEnd)).as("%s: body for a range running past the end is clipped", t.name())
                    .isEqualTo(expected(Range.of(LENGTH - 10, LENGTH)));
        }

        @Test
        @DisplayName("T2 the Range header sent is exactly the request's; no ranges sends none")
        final void rangeHeaderIsExact() throws IOException {
            RangeTransport t = transport();
            RangeRequest several = new RangeRequest("GET", uri(), List.of(Range.of(0, 10), Range.from(99_990)), Map.of());
            body(t.send(RangeRequest.get(uri(), Range.of(5, 10))));
            body(t.send(RangeRequest.get(uri(), Range.suffix(3))));
            body(t.send(several));
            body(t.send(RangeRequest.getAll(uri())));
            List<Optional<String>> sent = server.requests(PATH).stream().map(RangeServer.RecordedRequest::range).toList();
            assertThat(sent).as("%s: Range headers the server saw", t.name()).containsExactly(Optional.of("bytes=5-9"),
                    Optional.of("bytes=-3"), Optional.of("bytes=0-9,99990-"), Optional.empty());
        }

        @Test
        @DisplayName("T3 statuses are returned, not thrown, with their headers")
        final void statusesArePassedThrough() throws IOException {
            RangeTransport t = transport();
            RangeResponse partial = t.send(RangeRequest.get(uri(), Range.of(10, 20)));
            assertThat(partial.header("Content-Range")).as("%s: Content-Range of a 206", t.name())
                    .contains("bytes 10-19/" + LENGTH);
            assertThat(partial.contentLength()).as("%s: Content-Length of a 206", t.name()).hasValue(10);
            assertThat(partial.header("ETag")).as("%s: ETag of a 206", t.name()).contains(server.etag(PATH));
            body(partial);
            RangeResponse whole = t.send(RangeRequest.getAll(uri()));
            assertThat(whole.status()).as("%s: status of a GET without Range", t.name()).isEqualTo(200);
            assertThat(body(whole)).as("%s: body of a 200", t.name()).isEqualTo(expected(Range.of(0, LENGTH)));
            RangeResponse unsatisfiable = t.send(RangeRequest.get(uri(), Range.of(LENGTH + 10, LENGTH + 20)));
            assertThat(unsatisfiable.status()).as("%s: status past the end", t.name()).isEqualTo(416);
            assertThat(unsatisfiable.header("Content-Range")).as("%s: Content-Range of a 416", t.name())
                    .contains("bytes */" + LENGTH);
            body(unsatisfiable);
            RangeResponse missing = t.send(RangeRequest.get(uri("/tck/missing"), Range.of(0, 10)));
            assertThat(missing.status()).as("%s: status of a missing resource", t.name()).isEqualTo(404);
            body(missing);
            server.fault(PATH, new Fault.Status(503, Optional.of(Duration.ofSeconds(7)), 1));
            RangeResponse unavailable = t.send(RangeRequest.get(uri(), Range.of(0, 10)));
            assertThat(unavailable.status()).as("%s: status of an injected 503", t.name()).isEqualTo(503);
            assertThat(unavailable.header("Retry-After")).as("%s: Retry-After of a 503", t.name()).contains("7");
            body(unavailable);
        }

        @Test
        @DisplayName("T4 a HEAD returns status and headers and an empty body")
        final void head() throws IOException {
            RangeTransport t = transport();
            RangeResponse response = t.send(RangeRequest.head(uri()));
            assertThat(response.status()).as("%s: status of HEAD", t.name()).isEqualTo(200);
            assertThat(response.contentLength()).as("%s: Content-Length of HEAD", t.name()).hasValue(LENGTH);
            assertThat(response.header("ETag")).as("%s: ETag of HEAD", t.name()).contains(server.etag(PATH));
            assertThat(body(response)).as("%s: body of HEAD", t.name()).isEmpty();
            assertThat(server.requests(PATH)).as("%s: requests the server saw", t.name())
                    .extracting(RangeServer.RecordedRequest::method).containsExactly("HEAD");
        }
    }

    /** T5 and T6: headers sent, and bodies untouched. */
    @Nested
    @DisplayName("T5-T6 headers and encoding")
    class HeadersAndEncoding {

        @Test
        @DisplayName("T5 request headers and the options' headers are sent")
        final void headersAreSent() throws IOException {
            RangeTransport t = transport(defaultOptions().withHeader("X-Tck", "options").withHeader("User-Agent", "tck/1"));
            body(t.send(RangeRequest.get(uri(), Range.of(0, 10)).withHeader("If-Range", server.etag(PATH))
                    .withHeader("Authorization", "Bearer tck")));
            RangeServer.RecordedRequest seen = server.requests(PATH).get(0);
            assertThat(seen.header("If-Range")).as("%s: If-Range sent", t.name()).contains(server.etag(PATH));
            assertThat(seen.header("Authorization")).as("%s: Authorization sent", t.name()).contains("Bearer tck");
            assertThat(seen.header("X-Tck")).as("%s: header of the options sent", t.name()).contains("options");
            assertThat(seen.header("User-Agent")).as("%s: User-Agent of the options sent", t.name()).contains("tck/1");
        }

        @Test
        @DisplayName("T6 every request asks for identity encoding and bodies are never decoded")
        final void identityEncoding() throws IOException {
            server.fault(PATH, new Fault.GzipWhenAllowed());
            RangeTransport t = transport();
            RangeResponse response = t.send(RangeRequest.get(uri(), Range.of(1000, 3000)));
            byte[] bytes = body(response);
            body(t.send(RangeRequest.head(uri())));
            for (RangeServer.RecordedRequest r : server.requests(PATH)) {
                assertThat(r.header("Accept-Encoding")).as("%s: Accept-Encoding of %s %s", t.name(), r.method(), r.range())
                        .contains("identity");
            }
            assertThat(response.header("Content-Encoding").orElse("identity")).as("%s: Content-Encoding", t.name())
                    .isEqualToIgnoringCase("identity");
            assertThat(bytes).as("%s: body of [1000, 3000) from a server that gzips when allowed", t.name())
                    .isEqualTo(expected(Range.of(1000, 3000)));
        }
    }

    /** T5 made afresh: headers from the options' {@link io.rangestreams.spi.RequestHeaders}. */
    @Nested
    @DisplayName("T5 request headers made per request")
    class HeadersPerRequest {

        @Test
        @DisplayName("T5 the options' RequestHeaders are called for every request and their headers sent")
        final void requestHeadersAreMadePerRequest() throws IOException {
            AtomicInteger calls = new AtomicInteger();
            RangeTransport t = transport(defaultOptions().withHeader("Authorization", "Bearer fixed")
                    .withRequestHeaders(u -> Map.of("Authorization", "Bearer token-" + calls.incrementAndGet())));
            for (int i = 0; i < 3; i++) {
                body(t.send(RangeRequest.get(uri(), Range.of(i, i + 10))));
            }
            assertThat(server.requests(PATH)).as("%s: Authorization of three requests, a token made for each", t.name())
                    .extracting(r -> r.header("Authorization").orElse("none"))
                    .containsExactly("Bearer token-1", "Bearer token-2", "Bearer token-3");
        }

        @Test
        @DisplayName("T5 a header made per request does not follow a redirect to another origin")
        final void requestHeadersStayOnTheirOrigin() throws IOException {
            RangeTransport t = transport(defaultOptions().withRequestHeaders(u -> Map.of("Authorization", "Bearer made")));
            server.add("/tck/made-cross", 5000);
            server.fault("/tck/made-cross", new Fault.Redirect(Fault.Redirect.Kind.CROSS_ORIGIN, 302));
            assertThat(body(t.send(RangeRequest.get(uri("/tck/made-cross"), Range.of(0, 100)))))
                    .as("%s: body after a cross-origin redirect", t.name())
                    .isEqualTo(server.expected("/tck/made-cross", Range.of(0, 100)));
            assertThat(server.requests("/tck/made-cross")).as("%s: Authorization at each origin", t.name())
                    .extracting(r -> r.header("Authorization").orElse("none")).containsExactly("Bearer made", "none");
        }
    }

    /** T16: trust over https. */
    @Nested
    @DisplayName("T16 TLS trust")
    class TlsTrustRules {

        @Test
        @DisplayName("T16 with trust in a self-signed certificate, https answers; without, one line names the host")
        final void trustIsUsedAndAFailureNamesTheHost() throws IOException {
            try (RangeServer secure = RangeServer.startHttps()) {
                secure.add(PATH, LENGTH);
                URI target = secure.httpsUri(PATH);
                RangeTransport trusting = transport(defaultOptions().withTrust(TlsTrust.of(secure.clientTrustManager())));
                assertThat(body(trusting.send(RangeRequest.get(target, Range.of(10, 20)))))
                        .as("%s: body of %s with trust in its certificate", trusting.name(), target)
                        .isEqualTo(secure.expected(PATH, Range.of(10, 20)));
                RangeTransport untrusting = transport(TransportOptions.defaults()
                        .withConnectTimeout(Duration.ofSeconds(5)).withReadTimeout(Duration.ofSeconds(10)));
                assertThatThrownBy(() -> body(untrusting.send(RangeRequest.get(target, Range.of(10, 20)))))
                        .as("%s: %s without trust in its self-signed certificate", untrusting.name(), target)
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("127.0.0.1:" + secure.httpsPort())
                        .hasMessageContaining("not trusted")
                        .satisfies(e -> assertThat(e.getMessage()).as("%s: the failure's message", untrusting.name())
                                .doesNotContain("\n"));
            }
        }
    }

    /** T7: redirects. */
    @Nested
    @DisplayName("T7 redirects")
    class RedirectRules {

        @Test
        @DisplayName("T7 301, 302, 303, 307 and 308 are followed, keeping the range; uri() is the final URI")
        final void redirectsAreFollowed() throws IOException {
            RangeTransport t = transport();
            for (int status : new int[] {301, 302, 303, 307, 308}) {
                String path = "/tck/redirect-" + status;
                server.add(path, 5000);
                server.fault(path, new Fault.Redirect(Fault.Redirect.Kind.SAME_ORIGIN, status));
                RangeResponse response = t.send(RangeRequest.get(uri(path), Range.of(100, 200)));
                assertThat(response.status()).as("%s: status after a %d", t.name(), status).isEqualTo(206);
                assertThat(response.uri()).as("%s: final URI after a %d", t.name(), status)
                        .isEqualTo(uri("/redirected" + path));
                assertThat(body(response)).as("%s: body after a %d", t.name(), status)
                        .isEqualTo(server.expected(path, Range.of(100, 200)));
            }
        }

        @Test
        @DisplayName("T7 a cross-origin redirect drops Authorization; the same origin keeps it")
        final void credentialsStayOnTheirOrigin() throws IOException {
            RangeTransport t = transport();
            server.add("/tck/cross", 5000);
            server.fault("/tck/cross", new Fault.Redirect(Fault.Redirect.Kind.CROSS_ORIGIN, 302));
            server.add("/tck/same", 5000);
            server.fault("/tck/same", new Fault.Redirect(Fault.Redirect.Kind.SAME_ORIGIN, 302));
            RangeResponse cross = t.send(RangeRequest.get(uri("/tck/cross"), Range.of(0, 100))
                    .withHeader("Authorization", "Bearer secret"));
            assertThat(body(cross)).as("%s: body after a cross-origin redirect", t.name())
                    .isEqualTo(server.expected("/tck/cross", Range.of(0, 100)));
            RangeServer.RecordedRequest other = server.requests("/tck/cross").stream()
                    .filter(r -> r.port() != mainPort()).findFirst().orElseThrow();
            assertThat(other.header("Authorization")).as("%s: Authorization sent to another origin", t.name()).isEmpty();
            body(t.send(RangeRequest.get(uri("/tck/same"), Range.of(0, 100))
                    .withHeader("Authorization", "Bearer secret")));
            assertThat(server.requests("/redirected/tck/same")).as("%s: requests after a same-origin redirect", t.name())
                    .singleElement().satisfies(r -> assertThat(r.header("Authorization"))
                            .as("%s: Authorization on the same origin", t.name()).contains("Bearer secret"));
        }

        @Test
        @DisplayName("T7 a redirect loop or more redirects than allowed is an IOException")
        final void loopsAndLimits() {
            RangeTransport t = transport(defaultOptions().withMaxRedirects(0));
            server.add("/tck/loop", 100);
            server.fault("/tck/loop", new Fault.Redirect(Fault.Redirect.Kind.LOOP, 302));
            server.add("/tck/once", 100);
            server.fault("/tck/once", new Fault.Redirect(Fault.Redirect.Kind.SAME_ORIGIN, 302));
            RangeTransport looping = transport();
            assertThatThrownBy(() -> body(looping.send(RangeRequest.get(uri("/tck/loop"), Range.of(0, 10)))))
                    .as("%s: a redirect loop", t.name()).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> body(t.send(RangeRequest.get(uri("/tck/once"), Range.of(0, 10)))))
                    .as("%s: a redirect with maxRedirects 0", t.name()).isInstanceOf(IOException.class);
        }
    }

    /** T8 to T10: streaming, concurrency and timeouts. */
    @Nested
    @DisplayName("T8-T10 streaming, concurrency, timeouts")
    class StreamingAndConcurrency {

        @Test
        @DisplayName("T8 the body is streamed: its first bytes arrive while the server holds the rest")
        final void bodyIsStreamed() throws Exception {
            CountDownLatch reached = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            server.fault(PATH, new Fault.Gate(8192, reached, release));
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
            assertThat(server.requests(PATH).stream().map(RangeServer.RecordedRequest::connection).distinct())
                    .as("%s: connections used by 5 sequential requests", t.name()).hasSize(1);
        }

        @Test
        @DisplayName("T10 a body stalled longer than the read timeout ends in an IOException")
        final void stalledBodyTimesOut() throws Exception {
            CountDownLatch reached = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            server.fault(PATH, new Fault.Gate(1000, reached, release));
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
            server.fault(PATH, new Fault.Latency(Duration.ofSeconds(3)));
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
            RangeTransport t = transport(defaultOptions().withProxy(new InetSocketAddress("127.0.0.1", server.port())));
            URI viaProxy = URI.create("http://tck.invalid" + PATH);
            RangeResponse response = t.send(RangeRequest.get(viaProxy, Range.of(0, 100)));
            assertThat(body(response)).as("%s: body of %s through the proxy", t.name(), viaProxy)
                    .isEqualTo(expected(Range.of(0, 100)));
        }
    }

    /** T12: how the transport's client reads bodies. */
    @Nested
    @DisplayName("T12 body reading")
    class BodyReadings {

        @Test
        @DisplayName("T12 bodyReading() is stated")
        final void bodyReadingIsStated() {
            RangeTransport t = transport();
            assertThat(t.bodyReading()).as("%s: bodyReading()", t.name()).isNotNull();
        }

        @Test
        @DisplayName("T12 a body read on the caller's thread, begun on one thread, reads on exactly on another")
        final void bodyReadOnByAnotherThread() throws Exception {
            RangeTransport t = transport();
            Assumptions.assumeTrue(t.bodyReading() != null && t.bodyReading().reader() == BodyReading.Reader.CALLER,
                    () -> "transport " + t.name() + " does not read bodies on the caller's thread (bodyReading)");
            // As the engine hands a stream over: its fetching thread reads the start, a reader the rest.
            Range asked = Range.of(0, LENGTH);
            ExecutorService fetching = Executors.newSingleThreadExecutor();
            try (RangeResponse response = t.send(RangeRequest.get(uri(), asked))) {
                InputStream in = response.body();
                byte[] start = fetching.submit(() -> in.readNBytes(LENGTH / 3)).get(2, TimeUnit.MINUTES);
                byte[] rest = in.readAllBytes();
                ByteArrayOutputStream whole = new ByteArrayOutputStream();
                whole.writeBytes(start);
                whole.writeBytes(rest);
                assertThat(whole.toByteArray()).as("%s: body of %s, its first third read on another thread", t.name(),
                        asked).isEqualTo(expected(asked));
            } finally {
                fetching.shutdownNow();
            }
        }
    }

    /** T13: bodies the engine can fill a chunk of in one wait. */
    @Nested
    @DisplayName("T13 filling bodies")
    class FillingBodies {

        /** The response's body as a {@link FillingBody}, or the rule is skipped. */
        private FillingBody filling(RangeResponse response, RangeTransport t) {
            Assumptions.assumeTrue(response.body() instanceof FillingBody,
                    () -> "transport " + t.name() + " gives bodies that are not FillingBody");
            return (FillingBody) response.body();
        }

        @Test
        @DisplayName("T13 fill gives exactly the body's bytes, mixed with reads, then -1 at the end")
        final void fillGivesTheBodysBytes() throws IOException {
            RangeTransport t = transport();
            Range asked = Range.of(1000, LENGTH);
            try (RangeResponse response = t.send(RangeRequest.get(uri(), asked))) {
                FillingBody body = filling(response, t);
                InputStream in = response.body();
                byte[] got = new byte[(int) asked.length() + 10];
                int at = 0;
                assertThat(body.fill(got, at, 0)).as("%s: fill of 0 bytes", t.name()).isZero();
                at += body.fill(got, at, 7);
                at += in.read(got, at, 5);
                at += body.fill(got, at, 40_000);
                at += in.readNBytes(got, at, 1000);
                int last = body.fill(got, at, got.length - at); // more than is left: stops at the end
                assertThat(at + last).as("%s: bytes of %s read by fill and read", t.name(), asked)
                        .isEqualTo((int) asked.length());
                assertThat(Arrays.copyOf(got, at + last)).as("%s: body of %s read by fill and read", t.name(), asked)
                        .isEqualTo(expected(asked));
                assertThat(body.fill(got, 0, 10)).as("%s: fill at the end of the body", t.name()).isEqualTo(-1);
            }
        }

        @Test
        @DisplayName("T13 a body reset mid-way: fill returns the bytes before the reset, the next fill throws")
        final void resetBodyGivesItsBytesThenThrows() throws IOException {
            server.fault(PATH, new Fault.ResetConnection(1500, 1));
            RangeTransport t = transport();
            try (RangeResponse response = t.send(RangeRequest.get(uri(), Range.of(0, 8000)))) {
                FillingBody body = filling(response, t);
                byte[] got = new byte[8000];
                int n = body.fill(got, 0, got.length);
                assertThat(Arrays.copyOf(got, n)).as("%s: what fill returned of a body reset after 1500 bytes", t.name())
                        .isEqualTo(expected(Range.of(0, 1500)));
                assertThatThrownBy(() -> body.fill(got, n, got.length - n))
                        .as("%s: fill after the bytes before the reset", t.name()).isInstanceOf(IOException.class);
            }
        }

        @Test
        @DisplayName("T13 a body stalled past the read timeout: fill returns the bytes before the stall, the next fill throws")
        final void stalledBodyGivesItsBytesThenThrows() throws Exception {
            CountDownLatch reached = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            server.fault(PATH, new Fault.Gate(1000, reached, release));
            RangeTransport t = transport(defaultOptions().withReadTimeout(Duration.ofMillis(300)));
            try (RangeResponse response = t.send(RangeRequest.get(uri(), Range.of(0, 50_000)))) {
                FillingBody body = filling(response, t);
                byte[] got = new byte[50_000];
                int n = Deadline.within(Duration.ofMinutes(2), t.name() + ": fill of a body that stalls after 1000"
                        + " bytes, read timeout 300 ms", () -> body.fill(got, 0, got.length));
                assertThat(Arrays.copyOf(got, n)).as("%s: what fill returned of a body stalled after 1000 bytes", t.name())
                        .isEqualTo(expected(Range.of(0, 1000)));
                Throwable thrown = Deadline.ioFailureWithin(Duration.ofMinutes(2), t.name() + ": fill after the stall",
                        () -> body.fill(got, n, got.length - n));
                assertThat(thrown).as("%s: fill after the bytes before a stall longer than the read timeout", t.name())
                        .isInstanceOf(IOException.class);
            } finally {
                release.countDown();
            }
        }
    }

    /** T14: the transport is found the way {@code RangeClient} finds it. */
    @Nested
    @DisplayName("T14 registration")
    class Registration {

        @Test
        @DisplayName("T14 a provider of the transport's name is registered and creates a working transport of that name")
        final void providerIsRegisteredUnderItsName() throws IOException {
            String name = transport().name();
            List<RangeTransportProvider> providers = ServiceLoader.load(RangeTransportProvider.class).stream()
                    .map(ServiceLoader.Provider::get).toList();
            List<String> names = providers.stream().map(RangeTransportProvider::name).toList();
            RangeTransportProvider provider = providers.stream().filter(p -> p.name().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no RangeTransportProvider named '" + name + "' in"
                            + " META-INF/services/" + RangeTransportProvider.class.getName() + "; found " + names));
            RangeTransport created = provider.create(defaultOptions());
            opened.add(created);
            assertThat(created.name()).as("%s: name of the transport its provider creates", name).isEqualTo(name);
            Range r = Range.of(2_000, 3_000);
            assertThat(body(created.send(RangeRequest.get(uri(), r))))
                    .as("%s: body of %s through a transport its provider created", name, r).isEqualTo(expected(r));
        }
    }

    /** T15: the connection limit of the options. */
    @Nested
    @DisplayName("T15 connection limit")
    class ConnectionLimit {

        @Test
        @DisplayName("T15 no more exchanges run at once to one host than maxConnections allows")
        final void maxConnectionsIsHonoured() throws Exception {
            RangeTransport t = transport(defaultOptions().withMaxConnections(2));
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch twoHeld = new CountDownLatch(2);
            CountDownLatch thirdHeld = new CountDownLatch(1);
            server.add("/tck/held", 10_000);
            server.add("/tck/third", 10_000);
            server.fault("/tck/held", new Fault.Gate(0, twoHeld, release));
            server.fault("/tck/third", new Fault.Gate(0, thirdHeld, release));
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<byte[]>> bodies = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    bodies.add(pool.submit(() -> body(t.send(RangeRequest.get(server.uri("/tck/held"), Range.of(0, 100))))));
                }
                assertThat(twoHeld.await(2, TimeUnit.MINUTES)).as("%s: two requests in flight with maxConnections 2",
                        t.name()).isTrue();
                bodies.add(pool.submit(() -> body(t.send(RangeRequest.get(server.uri("/tck/third"), Range.of(0, 100))))));
                // Nothing can show that a request will never come; two seconds is ample for one that was sent.
                assertThat(thirdHeld.await(2, TimeUnit.SECONDS))
                        .as("%s: a third request reached the server while two were in flight, maxConnections 2", t.name())
                        .isFalse();
                release.countDown();
                for (Future<byte[]> body : bodies) {
                    assertThat(body.get(2, TimeUnit.MINUTES)).as("%s: a body once released", t.name()).hasSize(100);
                }
            } finally {
                release.countDown();
                pool.shutdownNow();
            }
        }
    }

    /** T11: lifecycle. */
    @Nested
    @DisplayName("T11 lifecycle")
    class Lifecycle {

        @Test
        @DisplayName("T11 close is idempotent and send after close throws IllegalStateException")
        final void closeIsIdempotent() {
            RangeTransport t = newTransport();
            t.close();
            t.close();
            assertThatThrownBy(() -> t.send(RangeRequest.get(uri(), Range.of(0, 10))))
                    .as("%s: send after close", t.name()).isInstanceOf(IllegalStateException.class);
        }
    }
}
