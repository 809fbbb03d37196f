package io.rangestreams.storage.mapdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.spi.ResourceVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** How a bounded MapDB store keeps to its limit. */
class MapDbRangeStoreBoundedTest extends MapDbRangeStoreFixture {

    @Nested
    class Bounded {

        @Test
        void evictsWholePiecesLeastRecentlyUsedFirst() throws IOException {
            try (MapDbRangeStore store = MapDbRangeStore.open(dir.resolve("cache.db"), 3000)) {
                store.bind(KEY, V1);
                write(store, KEY, 0, 1000);
                write(store, KEY, 2000, 1000);
                write(store, KEY, 4000, 1000);
                read(store, KEY, 0, 10); // [0, 1000) is now more recent than [2000, 3000)
                write(store, KEY, 6000, 1000);
                assertThat(store.ranges(KEY)).as("ranges after a fourth piece in a 3000-byte store")
                        .isEqualTo(RangeSet.of(Range.of(0, 1000), Range.of(4000, 5000), Range.of(6000, 7000)));
                assertThat(store.heldBytes()).as("bytes held in a 3000-byte store").isEqualTo(3000);
                for (Range r : store.ranges(KEY)) {
                    assertThat(read(store, KEY, r.start(), (int) r.length())).as("bytes of %s after eviction", r)
                            .isEqualTo(expected(KEY, r.start(), (int) r.length()));
                }
                assertThat(store.write(KEY, V1, 0, Content.bytes(KEY, 0, 3001)))
                        .as("write larger than the whole store").isFalse();
            }
        }

        @Test
        void theLimitHoldsOnDiskWhileWritingFlatOut() throws IOException {
            long max = 8L << 20;
            int chunk = 256 * 1024;
            ResourceVersion big = Content.version(256L << 20, "big");
            Path file = dir.resolve("cache.db");
            try (MapDbRangeStore store = MapDbRangeStore.open(file, max)) {
                store.bind(KEY, big);
                for (long pos = 0; pos < 128L << 20; pos += chunk) {
                    store.write(KEY, big, pos, Content.bytes(KEY, pos, chunk));
                    assertThat(store.heldBytes()).as("bytes held after writing [0, %d) into an 8 MiB store", pos + chunk)
                            .isLessThanOrEqualTo(max);
                    // Space freed is reused once committed: the file outgrows the limit by one commit's worth at most.
                    assertThat(store.dataFileEnd()).as("data file length after writing [0, %d) into an 8 MiB store",
                            pos + chunk).isLessThanOrEqualTo(max + (2L << 20));
                }
                assertThat(store.ranges(KEY)).as("ranges of an 8 MiB store after 128 MiB written in order")
                        .isEqualTo(RangeSet.of(Range.of((128L << 20) - max, 128L << 20)));
            }
            assertThat(Files.size(MapDbFile.dataFileOf(file))).as("data file size after close")
                    .isLessThanOrEqualTo(max + (2L << 20));
            try (MapDbRangeStore store = MapDbRangeStore.open(file, max)) {
                assertThat(store.heldBytes()).as("bytes held after reopening the 8 MiB store").isEqualTo(max);
                Range last = Range.of((128L << 20) - max, 128L << 20);
                assertThat(read(store, KEY, last.start(), (int) last.length()))
                        .as("bytes of %s after reopen", last).isEqualTo(expected(KEY, last.start(), (int) last.length()));
            }
        }

        @Test
        void aSmallerLimitOnReopenEvictsDownToIt() throws IOException {
            Path file = dir.resolve("cache.db");
            try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
                store.bind(KEY, V1);
                for (int i = 0; i < 10; i++) {
                    write(store, KEY, i * 2000L, 1000);
                }
            }
            try (MapDbRangeStore store = MapDbRangeStore.open(file, 4000)) {
                assertThat(store.heldBytes()).as("bytes held after reopening 10000 bytes with maxBytes=4000")
                        .isEqualTo(4000);
                assertThat(store.ranges(KEY)).as("ranges kept: the four written last")
                        .isEqualTo(RangeSet.of(Range.of(12000, 13000), Range.of(14000, 15000),
                                Range.of(16000, 17000), Range.of(18000, 19000)));
            }
            try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
                assertThat(store.heldBytes()).as("bytes held after the eviction on reopen was committed")
                        .isEqualTo(4000);
            }
        }
    }
}
