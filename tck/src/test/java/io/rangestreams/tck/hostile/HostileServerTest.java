package io.rangestreams.tck.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.rangestreams.ChangePolicy;
import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.RangeStreamException;
import io.rangestreams.ResourceChangedException;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Servers that lie ({@link RangeServer}'s faults), each seen on the wire through every transport, and read
 * through a client over every transport: a clear exception or correct bytes.
 */
class HostileServerTest {

    private static final String PATH = "/hostile.bin";
    private static final int LENGTH = 300_000;

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

    private static RangeClient.Builder client(String transport) {
        return RangeClient.builder().transport(transport).store("memory").readTimeout(Duration.ofSeconds(20));
    }

    @Nested
    class EndlessBody {
        private static final long MIB = 1024 * 1024;
        // Socket buffers between the server's count and what the client took; an endless body has no bound.
        private static final long IN_FLIGHT = 16 * MIB;
        private static final Duration HANG_GUARD = Duration.ofMinutes(2);

        @TempDir
        Path spill;

        private RangeClient.Builder spilling(String transport) {
            return client(transport).retries(0).fallbackMemoryLimit(64 * 1024).spillDirectory(spill);
        }

        @ParameterizedTest
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void theFirstBytesAreServedWithoutWaitingForTheEnd(String transport) throws IOException {
            server.fault(PATH, new Fault.EndlessBody());
            try (RangeClient client = spilling(transport).build(); RangeStream stream = client.open(uri)) {
                byte[] first = assertTimeoutPreemptively(HANG_GUARD, () -> stream.read(Range.of(0, 100)));
                assertThat(first).as("%s: read(0, 100) of an endless 200 body", transport)
                        .isEqualTo(server.expected(PATH, Range.of(0, 100)));
                byte[] later = assertTimeoutPreemptively(HANG_GUARD, () -> stream.read(Range.of(200_000, 200_100)));
                assertThat(later).as("%s: read(200000, 200100) of an endless 200 body", transport)
                        .isEqualTo(server.expected(PATH, Range.of(200_000, 200_100)));
            }
            assertThat(spill).as("%s: spill directory after the stream closed", transport).isEmptyDirectory();
        }

        @ParameterizedTest
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void aReadPastTheStoresBoundFailsNamingItAndTakesNoMore(String transport) throws IOException {
            server.fault(PATH, new Fault.EndlessBody());
            try (RangeClient client = spilling(transport).store("memory?maxBytes=1m").build();
                    RangeStream stream = client.open(uri)) {
                assertThat(assertTimeoutPreemptively(HANG_GUARD, () -> stream.read(Range.of(0, 100))))
                        .as("%s: read(0, 100) within the store's bound of 1 MiB", transport)
                        .isEqualTo(server.expected(PATH, Range.of(0, 100)));
                assertThatThrownBy(() -> assertTimeoutPreemptively(HANG_GUARD,
                        () -> stream.read(Range.of(2 * MIB, 2 * MIB + 10))))
                        .as("%s: read at 2 MiB of an endless body, store bound 1 MiB", transport)
                        .isInstanceOf(RangeStreamException.class)
                        .hasMessageContaining(uri.toString()).hasMessageContaining("bound of 1048576 bytes");
                assertThat(server.bytesServed(PATH)).as("%s: bytes the server sent past a 1 MiB bound", transport)
                        .isLessThan(MIB + IN_FLIGHT);
            }
            assertThat(spill).as("%s: spill directory after a failure at the bound", transport).isEmptyDirectory();
        }

        @ParameterizedTest
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void theLengthFailsAtTheClientsBound(String transport) throws IOException {
            server.fault(PATH, new Fault.EndlessBody());
            try (RangeClient client = spilling(transport).fallbackMaxBytes(512 * 1024).build();
                    RangeStream stream = client.open(uri)) {
                assertThat(assertTimeoutPreemptively(HANG_GUARD, () -> stream.read(Range.of(0, 100))))
                        .as("%s: read(0, 100) within a fallback bound of 512 KiB", transport)
                        .isEqualTo(server.expected(PATH, Range.of(0, 100)));
                assertThatThrownBy(() -> assertTimeoutPreemptively(HANG_GUARD, stream::length))
                        .as("%s: length() of an endless body, fallback bound 512 KiB", transport)
                        .isInstanceOf(RangeStreamException.class)
                        .hasMessageContaining(uri.toString()).hasMessageContaining("bound of 524288 bytes");
                assertThat(server.bytesServed(PATH)).as("%s: bytes the server sent past a 512 KiB bound", transport)
                        .isLessThan(MIB / 2 + IN_FLIGHT);
            }
            assertThat(spill).as("%s: spill directory after length() failed at the bound", transport)
                    .isEmptyDirectory();
        }
    }

    @Nested
    class ContentEncoding {
        @ParameterizedTest
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void aGzippedBodyIsRejectedNamingTheEncoding(String transport) throws IOException {
            server.fault(PATH, new Fault.GzipAlways());
            try (RangeClient client = client(transport).build(); RangeStream stream = client.open(uri)) {
                assertThatThrownBy(() -> stream.read(Range.of(0, 10)))
                        .as("%s: read(0, 10) of a body sent with Content-Encoding: gzip", transport)
                        .isInstanceOf(RangeStreamException.class).hasMessageContaining("gzip");
            }
        }
    }

    @Nested
    class LengthUnderTheSameEtag {
        @ParameterizedTest
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void aSuffixReadAfterTheLengthChangedGivesTheNewEnd(String transport) throws IOException {
            try (RangeClient client = client(transport).build(); RangeStream stream = client.open(uri)) {
                stream.read(Range.of(0, 100));
                server.fault(PATH, new Fault.SameEtagNewLength(LENGTH + 50_000));
                byte[] end = stream.read(Range.suffix(100));
                assertThat(stream.length()).as("%s: length after it changed under the same ETag", transport)
                        .isEqualTo(LENGTH + 50_000);
                byte[] want = server.expected(PATH, Range.of(LENGTH + 49_900, LENGTH + 50_000));
                assertThat(end).as("%s: the last 100 bytes after the length changed under the same ETag", transport)
                        .isEqualTo(want);
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void aNewLengthUnderTheSameEtagIsAChange(String transport) throws IOException {
            try (RangeClient client = client(transport).onChange(ChangePolicy.FAIL).build();
                    RangeStream stream = client.open(uri)) {
                stream.read(Range.of(0, 100));
                server.fault(PATH, new Fault.SameEtagNewLength(LENGTH + 50_000));
                assertThatThrownBy(() -> stream.read(Range.of(200_000, 200_100)))
                        .as("%s: a read after the length changed under the same ETag, changes failing", transport)
                        .isInstanceOf(ResourceChangedException.class);
            }
        }
    }

    @Nested
    class HugeTotal {
        @ParameterizedTest
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void aContentRangeTotalOfLongMaxIsARangeStreamException(String transport) throws IOException {
            server.fault(PATH, new Fault.ContentRangeTotal(Long.MAX_VALUE));
            try (RangeClient client = client(transport).retries(0).build(); RangeStream stream = client.open(uri)) {
                assertThatThrownBy(() -> stream.read(Range.suffix(10)))
                        .as("%s: a suffix read answered with a total of 2^63-1", transport)
                        .isInstanceOf(RangeStreamException.class);
                assertThatThrownBy(() -> stream.read(Range.of(0, 10)))
                        .as("%s: a read answered with a total of 2^63-1", transport)
                        .isInstanceOf(RangeStreamException.class);
            }
        }
    }

    @Nested
    class RangesHonoured {
        @ParameterizedTest
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void rangesAnsweredWith200AreReportedNotHonoured(String transport) throws IOException {
            server.fault(PATH, new Fault.IgnoreRange(), new Fault.NoAcceptRanges());
            try (RangeClient client = client(transport).build(); RangeStream stream = client.open(uri, Range.EMPTY)) {
                assertThat(stream.resource().rangesHonoured())
                        .as("%s: ranges honoured, for a server without Accept-Ranges answering ranges 200", transport)
                        .isFalse();
                assertThat(stream.read(Range.of(1000, 2000))).as("%s: bytes through the fallback", transport)
                        .isEqualTo(server.expected(PATH, Range.of(1000, 2000)));
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void aServerWithoutAcceptRangesThatHonoursThemIsReportedSo(String transport) throws IOException {
            server.fault(PATH, new Fault.NoAcceptRanges());
            try (RangeClient client = client(transport).build(); RangeStream stream = client.open(uri, Range.EMPTY)) {
                assertThat(stream.resource().rangesHonoured())
                        .as("%s: ranges honoured, for a server without Accept-Ranges answering ranges 206", transport)
                        .isTrue();
            }
        }
    }

    private static RangeTransport transport(String name) {
        for (RangeTransportProvider p : ServiceLoader.load(RangeTransportProvider.class)) {
            if (p.name().equals(name)) {
                return p.create(TransportOptions.defaults());
            }
        }
        throw new IllegalStateException("no transport provider named " + name);
    }

    /** Each lie as every transport receives it: what the client must then refuse or survive. */
    @Nested
    class OnTheWire {

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
