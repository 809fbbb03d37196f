package io.rangestreams.tck.signed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rangestreams.HttpStatusException;
import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeEventListener;
import io.rangestreams.RangeStream;
import io.rangestreams.RangeStreamException;
import io.rangestreams.UriRefresher;
import io.rangestreams.storage.memory.MemoryRangeStore;
import io.rangestreams.tck.Fault;
import io.rangestreams.tck.RangeServer;
import io.rangestreams.tck.UrlSigner;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A stream whose signed URL expires every few requests gets a fresh one from its refresher and reads on. */
class ExpiringUrlsTest {

    private static final int KIB = 1024;
    private static final String PATH = "/signed.bin";

    private RangeServer server;
    private UrlSigner signer;
    private final AtomicInteger refreshes = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = RangeServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Serves {@value #PATH} of {@code length} bytes behind URLs valid for {@code uses} requests each. */
    private URI signed(long length, int uses) {
        URI base = server.add(PATH, length);
        signer = new UrlSigner(base, uses);
        server.fault(PATH, new Fault.ExpiringUrls(signer));
        return signer.sign();
    }

    /** A refresher that counts its calls and hands out the signer's next URL. */
    private UriRefresher counting() {
        return (expired, status) -> {
            refreshes.incrementAndGet();
            return signer.sign();
        };
    }

    private RangeClient.Builder client(String transport, UriRefresher refresher) {
        return RangeClient.builder().transport(transport).store(new MemoryRangeStore()).uriRefresher(refresher);
    }

    /** The requests the signatures admitted: every refresh must follow a signature used up. */
    /** Requests the signer admitted: every replaced URL used all its uses, so refreshes are at most this over the uses. */
    private long admitted() {
        return signer.admitted();
    }

    @Nested
    class Refreshing {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void aLongSequentialReadRefreshesOncePerExpiry(String transport) throws IOException {
            int length = 4 * KIB * KIB;
            URI uri = signed(length, 3);
            try (RangeClient client = client(transport, counting()).readahead(64 * KIB, 256 * KIB)
                    .maxRequestSize(256 * KIB).build();
                    RangeStream stream = client.open(uri);
                    InputStream in = stream.inputStream()) {
                byte[] all = in.readAllBytes();
                assertThat(all).as("%s: bytes of a read through expiring URLs", transport)
                        .isEqualTo(server.expected(PATH, Range.of(0, length)));
            }
            assertThat(refreshes.get()).as("%s: refreshes of a sequential read", transport)
                    .isPositive()
                    .isLessThanOrEqualTo((int) (admitted() / 3));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void parallelRangesShareOneRefreshPerExpiry(String transport) throws IOException {
            int length = 16 * KIB * KIB;
            URI uri = signed(length, 5);
            List<Range> ranges = new ArrayList<>();
            for (long at = 0; at < length; at += 256 * KIB) {
                ranges.add(Range.of(at, at + 4 * KIB));
            }
            try (RangeClient client = client(transport, counting()).build();
                    RangeStream stream = client.open(uri)) {
                stream.fetchAll(ranges);
                long requests = server.requests(PATH).size();
                for (Range r : ranges) {
                    assertThat(stream.read(r)).as("%s: bytes of %s fetched through expiring URLs", transport, r)
                            .isEqualTo(server.expected(PATH, r));
                }
                assertThat(server.requests(PATH)).as("%s: requests after the fetch", transport).hasSize((int) requests);
            }
            assertThat(refreshes.get()).as("%s: refreshes of %d parallel ranges", transport, ranges.size())
                    .isPositive()
                    .isLessThanOrEqualTo((int) (admitted() / 5));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void aValidatorChangedAfterTheRefreshIsAChange(String transport) throws IOException {
            URI uri = signed(4 * KIB * KIB, 2);
            AtomicInteger changes = new AtomicInteger();
            UriRefresher changing = (expired, status) -> {
                if (refreshes.getAndIncrement() == 0) {
                    server.change(PATH); // the file was replaced by the time the URL was signed again
                }
                return signer.sign();
            };
            RangeEventListener listener = new RangeEventListener() {
                @Override
                public void versionChanged(URI changed, String before, String after) {
                    changes.incrementAndGet();
                }
            };
            try (RangeClient client = client(transport, changing).eventListener(listener).build();
                    RangeStream stream = client.open(uri)) {
                stream.read(Range.of(0, 100));
                stream.read(Range.of(KIB * KIB, KIB * KIB + 100));
                Range after = Range.of(2 * KIB * KIB, 2 * KIB * KIB + 100);
                assertThat(stream.read(after)).as("%s: bytes read after the refresh", transport)
                        .isEqualTo(server.expected(PATH, after));
            }
            assertThat(changes.get()).as("%s: changes seen after the refresh", transport).isEqualTo(1);
            assertThat(server.requests(PATH)).as("%s: requests after the refresh carry If-Range", transport)
                    .filteredOn(r -> r.range().isPresent() && r.askedRange().map(a -> a.start() == 2 * KIB * KIB)
                            .orElse(false))
                    .first()
                    .satisfies(r -> assertThat(r.header("If-Range")).as("%s: If-Range", transport).isPresent());
        }
    }

    @Nested
    class Failing {

        /** Reads the first block with a URL valid for one request, then the failure of a read past it. */
        private Throwable readPastTheExpiry(String transport, URI uri, UriRefresher refresher) throws IOException {
            try (RangeClient client = client(transport, refresher).retries(2).build();
                    RangeStream stream = client.open(uri)) {
                stream.read(Range.of(0, 100));
                return catchThrowable(() -> stream.read(Range.of(KIB * KIB, KIB * KIB + 100)));
            }
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void aRefresherThatThrowsEndsTheRead(String transport) throws IOException {
            URI uri = signed(4 * KIB * KIB, 1);
            UriRefresher down = (expired, status) -> {
                refreshes.incrementAndGet();
                throw new IOException("signing service down");
            };
            assertThat(readPastTheExpiry(transport, uri, down)).as("%s: a read whose refresh failed", transport)
                    .isInstanceOf(RangeStreamException.class)
                    .hasMessageContaining("signing service down");
            assertThat(refreshes.get()).as("%s: refreshes of a failed read", transport).isEqualTo(1);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"jdk", "okhttp", "apache"})
        void aFreshUrlThatFailsAgainIsAnErrorAfterTheRetryBudget(String transport) throws IOException {
            URI uri = signed(4 * KIB * KIB, 1);
            UriRefresher useless = (expired, status) -> {
                refreshes.incrementAndGet();
                return URI.create(uri.toString().replace("?sig=", "?stale="));
            };
            assertThat(readPastTheExpiry(transport, uri, useless)).as("%s: a read whose fresh URLs all fail", transport)
                    .isInstanceOfSatisfying(HttpStatusException.class,
                            e -> assertThat(e.status()).as("%s: status", transport).isEqualTo(403));
            // The expired URL that had worked, then the two stale ones the budget allows.
            assertThat(refreshes.get()).as("%s: refreshes before giving up", transport).isEqualTo(3);
        }
    }
}
