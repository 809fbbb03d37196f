package io.rangestreams.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.RangeStreamException;
import io.rangestreams.UriRefresher;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CurrentUriTest {

    private static final URI OPENED = URI.create("http://127.0.0.1:1/file?sig=1");

    private final AtomicInteger calls = new AtomicInteger();

    private CurrentUri current(UriRefresher refresher) {
        return new CurrentUri(OPENED, new UriRefresh(Optional.of(refresher), UriRefresh.DEFAULT_STATUSES));
    }

    private UriRefresher counting() {
        return (expired, status) -> URI.create("http://127.0.0.1:1/file?sig=" + (calls.incrementAndGet() + 1));
    }

    @Nested
    class Sharing {

        @Test
        void manyRequestsFailingWithOneUriCauseOneRefresh() throws Exception {
            CurrentUri current = current(counting());
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<URI>> results = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    results.add(pool.submit(() -> current.replace(OPENED, 403)));
                }
                for (Future<URI> f : results) {
                    assertThat(f.get(1, TimeUnit.MINUTES)).as("URI after 16 concurrent 403s").hasToString(
                            "http://127.0.0.1:1/file?sig=2");
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(calls.get()).as("refreshes for 16 concurrent 403s of one URI").isEqualTo(1);
            assertThat(current.refreshes()).as("refreshes counted").isEqualTo(1);
        }

        @Test
        void aUriAlreadyReplacedIsNotRefreshedAgain() throws IOException {
            CurrentUri current = current(counting());
            URI fresh = current.replace(OPENED, 401);
            assertThat(current.replace(OPENED, 401)).as("a late 401 of the old URI").isEqualTo(fresh);
            assertThat(current.replace(fresh, 403)).as("a 403 of the fresh URI").hasToString(
                    "http://127.0.0.1:1/file?sig=3");
            assertThat(calls.get()).as("refreshes").isEqualTo(2);
        }

        @Test
        void onlyTheConfiguredStatusesExpire() {
            CurrentUri current = current(counting());
            assertThat(current.expiredBy(403)).as("403 with the default statuses").isTrue();
            assertThat(current.expiredBy(404)).as("404 with the default statuses").isFalse();
            assertThat(new CurrentUri(OPENED, UriRefresh.none()).expiredBy(403)).as("403 without a refresher")
                    .isFalse();
        }
    }

    @Nested
    class Failing {

        @Test
        void aRefresherThatThrowsFailsTheCallerAndIsAskedAgainLater() {
            CurrentUri current = current((expired, status) -> {
                calls.incrementAndGet();
                throw new IOException("signer down");
            });
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> current.replace(OPENED, 403)).as("a refresh that throws")
                        .isInstanceOf(RangeStreamException.class)
                        .hasMessageContaining("signer down")
                        .hasMessageContaining(OPENED.toString());
            }
            assertThat(calls.get()).as("a failed refresh is not cached").isEqualTo(2);
        }

        @Test
        void aRelativeUriIsRejected() {
            CurrentUri current = current((expired, status) -> URI.create("/file?sig=2"));
            assertThatThrownBy(() -> current.replace(OPENED, 403)).as("a relative fresh URI")
                    .isInstanceOf(RangeStreamException.class)
                    .hasMessageContaining("absolute http or https");
        }

        @Test
        void aStatusOutside4xxIsRefused() {
            assertThatThrownBy(() -> new UriRefresh(Optional.empty(), Set.of(503)))
                    .as("503 as a refresh status")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("503");
        }
    }
}
