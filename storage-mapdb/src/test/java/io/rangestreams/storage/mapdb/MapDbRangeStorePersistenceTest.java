package io.rangestreams.storage.mapdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.spi.ResourceVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What a MapDB store keeps across a reopen, and how a new version drops it. */
class MapDbRangeStorePersistenceTest extends MapDbRangeStoreFixture {

    @Nested
    class Persistence {

        @Test
        void versionsRangesAndBytesSurviveAReopen() throws IOException {
            Path file = dir.resolve("cache.db");
            String other = "http://127.0.0.1/other.bin";
            try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
                store.bind(KEY, V1);
                store.bind(other, V1);
                write(store, KEY, 0, 300_000);
                write(store, KEY, 1_000_000, 3 * MapDbRangeStore.MAX_PIECE + 17); // split into pieces
                write(store, other, 5, 10);
            }
            try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
                assertThat(store.version(KEY)).as("version of %s after reopen", KEY).contains(V1);
                RangeSet expectedRanges = RangeSet.of(Range.of(0, 300_000),
                        Range.of(1_000_000, 1_000_000 + 3 * MapDbRangeStore.MAX_PIECE + 17));
                assertThat(store.ranges(KEY)).as("ranges of %s after reopen", KEY).isEqualTo(expectedRanges);
                assertThat(store.ranges(other)).as("ranges of %s after reopen", other)
                        .isEqualTo(RangeSet.of(Range.of(5, 15)));
                int long_ = 3 * MapDbRangeStore.MAX_PIECE + 17;
                assertThat(read(store, KEY, 1_000_000, long_)).as("bytes spanning four pieces after reopen")
                        .isEqualTo(expected(KEY, 1_000_000, long_));
                assertThat(read(store, KEY, 250_000, 100_000)).as("read stopping at the end of [0, 300000)")
                        .isEqualTo(expected(KEY, 250_000, 50_000));
                assertThat(read(store, other, 5, 10)).as("bytes of %s after reopen", other)
                        .isEqualTo(expected(other, 5, 10));
                assertThat(store.heldBytes()).as("bytes held after reopen")
                        .isEqualTo(expectedRanges.totalLength() + 10);
            }
        }

        @Test
        void overlappingWritesMergeAndStoreOnlyTheGaps() throws IOException {
            try (MapDbRangeStore store = MapDbRangeStore.open(dir.resolve("cache.db"), Long.MAX_VALUE)) {
                store.bind(KEY, V1);
                write(store, KEY, 100, 100);
                write(store, KEY, 300, 100);
                write(store, KEY, 50, 400);
                assertThat(store.ranges(KEY)).as("ranges after writes [100,200) [300,400) [50,450)")
                        .isEqualTo(RangeSet.of(Range.of(50, 450)));
                assertThat(store.heldBytes()).as("bytes held after overlapping writes").isEqualTo(400);
                assertThat(read(store, KEY, 50, 400)).as("bytes of [50, 450) across three writes")
                        .isEqualTo(expected(KEY, 50, 400));
                assertThat(read(store, KEY, 10, 10)).as("read at a position not held").isEmpty();
            }
        }

        @Test
        void removeDropsOneKeyDurably() throws IOException {
            Path file = dir.resolve("cache.db");
            String other = "http://127.0.0.1/other.bin";
            try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
                store.bind(KEY, V1);
                store.bind(other, V1);
                write(store, KEY, 0, 1000);
                write(store, other, 0, 1000);
                store.remove(KEY);
            }
            try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
                assertThat(store.version(KEY)).as("version of removed %s after reopen", KEY).isEmpty();
                assertThat(store.ranges(KEY)).as("ranges of removed %s after reopen", KEY).isEqualTo(RangeSet.EMPTY);
                assertThat(store.ranges(other)).as("ranges of %s after %s was removed", other, KEY)
                        .isEqualTo(RangeSet.of(Range.of(0, 1000)));
            }
        }

        @Test
        void closeIsIdempotentAndUseAfterCloseFails() throws IOException {
            MapDbRangeStore store = MapDbRangeStore.open(dir.resolve("cache.db"), Long.MAX_VALUE);
            store.close();
            store.close();
            assertThatThrownBy(() -> store.ranges(KEY)).as("ranges() after close")
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
    }

    @Nested
    class Versions {

        @Test
        void bindingAnotherVersionDropsTheBytesDurably() throws IOException {
            Path file = dir.resolve("cache.db");
            try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
                store.bind(KEY, V1);
                write(store, KEY, 0, 4096);
                assertThat(store.bind(KEY, V1)).as("bind with the same version drops nothing").isFalse();
                assertThat(store.ranges(KEY)).as("ranges after binding the same version")
                        .isEqualTo(RangeSet.of(Range.of(0, 4096)));
                assertThat(store.bind(KEY, V2)).as("bind with another version drops the bytes").isTrue();
                assertThat(store.ranges(KEY)).as("ranges after binding %s", V2).isEqualTo(RangeSet.EMPTY);
                assertThat(read(store, KEY, 0, 10)).as("bytes after binding %s", V2).isEmpty();
            }
            try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
                assertThat(store.version(KEY)).as("version after reopen").contains(V2);
                assertThat(store.ranges(KEY)).as("ranges after reopen").isEqualTo(RangeSet.EMPTY);
                assertThat(store.heldBytes()).as("bytes held after reopen").isZero();
            }
        }

        @Test
        void lastModifiedAndLengthAreKeptWithTheBytes() throws IOException {
            Path file = dir.resolve("cache.db");
            ResourceVersion dated = new ResourceVersion(1234, Optional.empty(),
                    Optional.of("Wed, 21 Oct 2015 07:28:00 GMT"));
            try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
                store.bind(KEY, dated);
            }
            try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
                assertThat(store.version(KEY)).as("Last-Modified-only version after reopen").contains(dated);
            }
        }

        @Test
        void aWriteTaggedWithAnotherVersionStoresNothing() throws IOException {
            try (MapDbRangeStore store = MapDbRangeStore.open(dir.resolve("cache.db"), Long.MAX_VALUE)) {
                assertThat(store.write(KEY, V1, 0, Content.bytes(KEY, 0, 100)))
                        .as("write to an unbound key").isFalse();
                store.bind(KEY, V2);
                assertThat(store.write(KEY, V1, 0, Content.bytes(KEY, 0, 100)))
                        .as("write tagged %s to a key bound to %s", V1, V2).isFalse();
                assertThat(store.ranges(KEY)).as("ranges after a stale write").isEqualTo(RangeSet.EMPTY);
                assertThat(store.heldBytes()).as("bytes held after a stale write").isZero();
            }
        }
    }
}
