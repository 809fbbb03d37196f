package io.rangestreams.tck.http2;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.RangeTransportProvider;
import io.rangestreams.spi.TlsTrust;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP/2 against a real HTTP/2 server (Jetty, over TLS with ALPN): the JDK and OkHttp transports negotiate
 * it and multiplex parallel ranges over one connection; Apache's classic client stays on HTTP/1.1.
 */
class Http2Test {

    private static final int LENGTH = 1 << 20;

    private JettyHttp2Server server;
    private URI uri;
    private final List<RangeTransport> opened = new ArrayList<>();

    @TempDir
    Path files;

    @BeforeEach
    void start() throws Exception {
        byte[] content = new byte[LENGTH];
        RangeServer.fill(7, 0, content, LENGTH);
        Files.write(files.resolve("data.bin"), content);
        server = JettyHttp2Server.serving(files);
        uri = server.uri("/data.bin");
    }

    @AfterEach
    void stop() throws Exception {
        opened.forEach(RangeTransport::close);
        server.close();
    }

    private RangeTransport transport(String name, TransportOptions.HttpVersion version) throws IOException {
        TransportOptions options = TransportOptions.defaults().withConnectTimeout(Duration.ofSeconds(5))
                .withReadTimeout(Duration.ofSeconds(20)).withTrust(TlsTrust.of(RangeServer.testTrustManager()))
                .withHttpVersion(version);
        for (RangeTransportProvider p : ServiceLoader.load(RangeTransportProvider.class)) {
            if (p.name().equals(name)) {
                RangeTransport t = p.create(options);
                opened.add(t);
                return t;
            }
        }
        throw new IllegalStateException("no transport provider named " + name);
    }

    private static byte[] expected(Range r) {
        byte[] b = new byte[(int) r.length()];
        RangeServer.fill(7, r.start(), b, b.length);
        return b;
    }

    /** Sends 64 ranges of 4 KiB from 16 threads at once; returns the protocols the responses came over. */
    private List<String> parallelRanges(RangeTransport t) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> done = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                Range r = Range.of(i * 16_384L, i * 16_384L + 4096);
                done.add(pool.submit(() -> {
                    try (RangeResponse response = t.send(RangeRequest.get(uri, r)); InputStream in = response.body()) {
                        assertThat(response.status()).as("%s: status of %s from Jetty", t.name(), r).isEqualTo(206);
                        assertThat(in.readAllBytes()).as("%s: body of %s from Jetty", t.name(), r).isEqualTo(expected(r));
                        return response.protocol();
                    }
                }));
            }
            List<String> protocols = new ArrayList<>();
            for (Future<String> f : done) {
                protocols.add(f.get());
            }
            return protocols;
        } finally {
            pool.shutdownNow();
        }
    }

    @Nested
    class Negotiated {

        @ParameterizedTest
        @ValueSource(strings = {"jdk", "okhttp"})
        void parallelRangesShareOneHttp2Connection(String name) throws Exception {
            RangeTransport t = transport(name, TransportOptions.HttpVersion.HTTP_2);
            // The first request negotiates the protocol, as a stream's first request (which learns the length) does.
            try (RangeResponse first = t.send(RangeRequest.get(uri, Range.of(0, 10)))) {
                first.body().readAllBytes();
            }
            List<String> protocols = parallelRanges(t);
            assertThat(protocols).as("%s: protocol of 64 parallel ranges from Jetty", name).containsOnly(RangeResponse.HTTP_2);
            assertThat(server.protocols()).as("%s: protocol of each request Jetty saw", name).containsOnly("HTTP/2.0");
            assertThat(server.connectionsOpened()).as("%s: TLS connections Jetty accepted for 65 requests", name)
                    .isEqualTo(1);
        }

        @ParameterizedTest
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void askingForHttp11GetsHttp11(String name) throws Exception {
            RangeTransport t = transport(name, TransportOptions.HttpVersion.HTTP_1_1);
            List<String> protocols = parallelRanges(t);
            assertThat(protocols).as("%s with HTTP/1.1 asked: protocol of 64 parallel ranges", name)
                    .containsOnly(RangeResponse.HTTP_1_1);
            assertThat(server.protocols()).as("%s with HTTP/1.1 asked: protocol Jetty saw", name).containsOnly("HTTP/1.1");
            assertThat(server.connectionsOpened()).as("%s with HTTP/1.1 asked: connections for 16 threads", name)
                    .isGreaterThan(1);
        }
    }

    @Nested
    class ThroughAStream {

        @ParameterizedTest
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void resourceInfoTellsTheProtocol(String name) throws Exception {
            String expected = name.equals("apache") ? RangeResponse.HTTP_1_1 : RangeResponse.HTTP_2;
            try (RangeClient client = RangeClient.builder().transport(name).store("memory")
                    .trust(TlsTrust.of(RangeServer.testTrustManager())).build();
                    RangeStream stream = client.open(uri, Range.EMPTY)) {
                assertThat(stream.resource().protocol()).as("%s: protocol of %s in the stream's resource info", name, uri)
                        .contains(expected);
                assertThat(stream.read(Range.of(1000, 9000))).as("%s: bytes of [1000, 9000) through a stream", name)
                        .isEqualTo(expected(Range.of(1000, 9000)));
            }
        }
    }

    @Nested
    class ApacheClassic {

        @ParameterizedTest
        @ValueSource(strings = {"apache"})
        void speaksHttp11EvenWhenHttp2IsAsked(String name) throws Exception {
            RangeTransport t = transport(name, TransportOptions.HttpVersion.HTTP_2);
            assertThat(parallelRanges(t)).as("%s (classic client) with HTTP/2 asked: protocol of 64 ranges", name)
                    .containsOnly(RangeResponse.HTTP_1_1);
            assertThat(server.protocols()).as("%s: protocol Jetty saw", name).containsOnly("HTTP/1.1");
        }
    }
}
