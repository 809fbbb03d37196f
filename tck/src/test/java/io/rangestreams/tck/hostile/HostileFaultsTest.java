package io.rangestreams.tck.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.RangeTransportProvider;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.tck.Fault;
import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lies {@link RangeServer} tells on request, as every transport receives them: what an engine must
 * then refuse or survive (an endless body, a gzipped body under {@code Accept-Encoding: identity}, a new
 * length under an old {@code ETag}, an absurd total, no {@code Accept-Ranges}).
 */
class HostileFaultsTest {

    private static final String PATH = "/lies.bin";
    private static final int LENGTH = 100_000;

    private RangeServer server;
    private URI uri;

    @BeforeEach
    void start() throws IOException {
        server = RangeServer.start();
        uri = server.add(PATH, LENGTH);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static RangeTransport transport(String name) {
        for (RangeTransportProvider p : ServiceLoader.load(RangeTransportProvider.class)) {
            if (p.name().equals(name)) {
                return p.create(TransportOptions.defaults());
            }
        }
        throw new IllegalStateException("no transport provider named " + name);
    }

    @Nested
    class Lies {

        @ParameterizedTest
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void endlessBodyAnswersARangeWith200AndNoEnd(String name) throws IOException {
            server.fault(PATH, new Fault.EndlessBody());
            try (RangeTransport t = transport(name);
                    RangeResponse response = t.send(RangeRequest.get(uri, Range.of(0, 10)))) {
                assertThat(response.status()).as("%s: status of a range from an endless body", name).isEqualTo(200);
                assertThat(response.contentLength()).as("%s: Content-Length of an endless body", name).isEmpty();
                InputStream in = response.body();
                assertThat(in.readNBytes(3 * LENGTH)).as("%s: body read past the resource's length", name)
                        .hasSize(3 * LENGTH);
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void gzipAlwaysGzipsUnderIdentity(String name) throws IOException {
            server.fault(PATH, new Fault.GzipAlways());
            try (RangeTransport t = transport(name);
                    RangeResponse response = t.send(RangeRequest.get(uri, Range.of(0, 1000)))) {
                assertThat(response.header("Content-Encoding")).as("%s: Content-Encoding under identity", name)
                        .contains("gzip");
                assertThat(response.body().readNBytes(2)).as("%s: the body's first bytes (gzip magic)", name)
                        .containsExactly(0x1f, 0x8b);
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void sameEtagNewLengthKeepsTheValidators(String name) throws IOException {
            try (RangeTransport t = transport(name)) {
                String etag;
                try (RangeResponse before = t.send(RangeRequest.head(uri))) {
                    etag = before.header("ETag").orElseThrow();
                }
                server.fault(PATH, new Fault.SameEtagNewLength(LENGTH + 5000));
                try (RangeResponse after = t.send(RangeRequest.get(uri, Range.suffix(100)))) {
                    assertThat(after.header("ETag")).as("%s: ETag after the length changed", name).contains(etag);
                    assertThat(after.header("Content-Range")).as("%s: Content-Range of the suffix", name)
                            .contains("bytes " + (LENGTH + 4900) + "-" + (LENGTH + 4999) + "/" + (LENGTH + 5000));
                    after.body().readAllBytes();
                }
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void contentRangeTotalStatesTheGivenTotal(String name) throws IOException {
            server.fault(PATH, new Fault.ContentRangeTotal(Long.MAX_VALUE));
            try (RangeTransport t = transport(name);
                    RangeResponse response = t.send(RangeRequest.get(uri, Range.of(0, 10)))) {
                assertThat(response.header("Content-Range")).as("%s: Content-Range with a total of 2^63-1", name)
                        .contains("bytes 0-9/" + Long.MAX_VALUE);
                response.body().readAllBytes();
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void noAcceptRangesSendsNone(String name) throws IOException {
            server.fault(PATH, new Fault.NoAcceptRanges(), new Fault.IgnoreRange());
            try (RangeTransport t = transport(name);
                    RangeResponse response = t.send(RangeRequest.get(uri, Range.of(0, 10)))) {
                assertThat(response.header("Accept-Ranges")).as("%s: Accept-Ranges", name).isEmpty();
                assertThat(response.status()).as("%s: status of a range ignored", name).isEqualTo(200);
                response.body().readAllBytes();
            }
        }
    }
}
