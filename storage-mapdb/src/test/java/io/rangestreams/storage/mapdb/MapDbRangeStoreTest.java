package io.rangestreams.storage.mapdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.RangeStreamException;
import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeStore.Capability;
import io.rangestreams.spi.RangeStoreProvider;
import io.rangestreams.spi.ResourceVersion;
import io.rangestreams.spi.StoreOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.DB;
import org.mapdb.DBMaker;

class MapDbRangeStoreTest {

    private static final String KEY = "http://127.0.0.1/file.bin";
    private static final ResourceVersion V1 = Content.version(10L << 20, "v1");
    private static final ResourceVersion V2 = Content.version(10L << 20, "v2");

    @TempDir
    Path dir;

    private static byte[] read(RangeStore store, String key, long position, int length) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(length);
        int n = store.read(key, position, dst);
        byte[] out = new byte[n];
        dst.flip().get(out);
        return out;
    }

    private static byte[] expected(String key, long position, int length) {
        return Content.bytes(key, position, length).array();
    }

    private static void write(RangeStore store, String key, long position, int length) throws IOException {
        assertThat(store.write(key, V1, position, Content.bytes(key, position, length)))
                .as("write of [%d, %d) of %s to %s", position, position + length, key, store).isTrue();
    }

    @Nested
    class Spec {

        @Test
        void providerIsFoundByNameAndOpensTheFileInTheSpec() throws IOException {
            Path file = dir.resolve("a/b/cache.db");
            RangeStoreProvider provider = ServiceLoader.load(RangeStoreProvider.class).stream()
                    .map(ServiceLoader.Provider::get)
                    .filter(p -> p.name().equals("mapdb"))
                    .findFirst()
                    .orElseThrow();
            try (RangeStore store = provider.open(StoreOptions.parse("mapdb:" + file + "?maxBytes=10g"))) {
                assertThat(store.name()).as("name of the store opened from spec mapdb:%s", file).isEqualTo("mapdb");
                assertThat(store.capabilities()).as("capabilities of mapdb:%s?maxBytes=10g", file)
                        .containsExactlyInAnyOrder(Capability.PERSISTENT, Capability.BOUNDED);
                assertThat(((MapDbRangeStore) store).maxBytes()).as("maxBytes of mapdb:%s?maxBytes=10g", file)
                        .isEqualTo(10L << 30);
            }
            assertThat(file).as("store file of spec mapdb:%s, parent directories created", file).exists();
        }

        @Test
        void withoutMaxBytesTheStoreIsPersistentAndUnbounded() throws IOException {
            Path file = dir.resolve("cache.db");
            try (RangeStore store = new MapDbRangeStoreProvider().open(StoreOptions.parse("mapdb:" + file))) {
                assertThat(store.capabilities()).as("capabilities of mapdb:%s", file)
                        .containsExactly(Capability.PERSISTENT);
            }
        }

        @Test
        void aMissingLocationIsAClearError() {
            assertThatThrownBy(() -> new MapDbRangeStoreProvider().open(StoreOptions.parse("mapdb?maxBytes=1g")))
                    .as("spec mapdb?maxBytes=1g (no file)")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("needs the path of its file")
                    .hasMessageContaining("mapdb:/");
        }

        @Test
        void anUnknownParameterIsAClearError() {
            Path file = dir.resolve("cache.db");
            assertThatThrownBy(() -> new MapDbRangeStoreProvider().open(StoreOptions.parse("mapdb:" + file + "?size=1g")))
                    .as("spec mapdb:%s?size=1g", file)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'size'")
                    .hasMessageContaining("maxBytes");
            assertThat(file).as("file of a rejected spec").doesNotExist();
        }

        @Test
        void aDirectoryAsLocationIsAClearError() {
            assertThatThrownBy(() -> new MapDbRangeStoreProvider().open(StoreOptions.parse("mapdb:" + dir)))
                    .as("spec mapdb:%s (a directory)", dir)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is a directory")
                    .hasMessageContaining(dir.toString());
        }

        @Test
        void aCallersOwnDatabaseIsUsedAndLeftOpen() throws IOException {
            DB db = DBMaker.memoryDB().transactionEnable().make();
            try {
                try (MapDbRangeStore store = new MapDbRangeStore(db, dir.resolve("own.data"))) {
                    store.bind(KEY, V1);
                    write(store, KEY, 100, 5000);
                    assertThat(read(store, KEY, 100, 5000)).as("bytes read back from a store in the caller's memory DB")
                            .isEqualTo(expected(KEY, 100, 5000));
                    assertThat(store.capabilities()).as("capabilities of a store in an in-memory DB").isEmpty();
                }
                assertThat(db.isClosed()).as("caller's DB after the store is closed").isFalse();
                assertThat(db.exists("rangestreams.pieces")).as("index collection in the caller's DB").isTrue();
            } finally {
                db.close();
            }
        }
    }

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

    @Nested
    class Concurrency {

        @Test
        void manyThreadsWriteAndReadOneKeySafely() throws Exception {
            int threads = 8;
            long length = 4L << 20;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try (MapDbRangeStore store = MapDbRangeStore.open(dir.resolve("cache.db"), 2L << 20)) {
                store.bind(KEY, V1);
                List<Future<Long>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    long seed = t;
                    Callable<Long> worker = () -> {
                        Random random = new Random(seed);
                        long checked = 0;
                        for (int i = 0; i < 60; i++) {
                            int n = 1 + random.nextInt(64 * 1024);
                            long pos = random.nextLong(length - n);
                            store.write(KEY, V1, pos, Content.bytes(KEY, pos, n));
                            for (Range r : store.ranges(KEY).intersect(Range.of(pos, pos + n))) {
                                byte[] got = read(store, KEY, r.start(), (int) r.length());
                                // Another thread may evict between ranges() and read(): what comes back must be right.
                                assertThat(got).as("bytes at %d read by thread %d", r.start(), seed)
                                        .isEqualTo(expected(KEY, r.start(), got.length));
                                checked += got.length;
                            }
                        }
                        return checked;
                    };
                    results.add(pool.submit(worker));
                }
                long checked = 0;
                for (Future<Long> f : results) {
                    checked += f.get();
                }
                assertThat(checked).as("bytes checked by %d threads", threads).isPositive();
                long claimed = 0;
                for (Range r : store.ranges(KEY)) {
                    assertThat(read(store, KEY, r.start(), (int) r.length())).as("final bytes of %s", r)
                            .isEqualTo(expected(KEY, r.start(), (int) r.length()));
                    claimed += r.length();
                }
                assertThat(store.heldBytes()).as("bytes held against ranges claimed after concurrent writes")
                        .isEqualTo(claimed)
                        .isLessThanOrEqualTo(2L << 20);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    class Interrupts {

        @Test
        void anInterruptedReaderOrWriterLeavesTheStoreWorkingForOthers() throws Exception {
            Path file = dir.resolve("cache.db");
            try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
                store.bind(KEY, V1);
                write(store, KEY, 0, 1 << 20);
                ExecutorService pool = Executors.newSingleThreadExecutor();
                try {
                    Future<Throwable> interrupted = pool.submit(() -> {
                        // A FileChannel closes itself for every thread when an interrupted thread uses it.
                        Thread.currentThread().interrupt();
                        Throwable onRead = catchThrowable(() -> read(store, KEY, 0, 4096));
                        Thread.currentThread().interrupt();
                        Throwable onWrite = catchThrowable(() -> write(store, KEY, 2 << 20, 4096));
                        Thread.interrupted();
                        return onRead != null ? onRead : onWrite;
                    });
                    assertThat(interrupted.get()).as("what an interrupted thread's read or write threw").isNotNull();
                } finally {
                    pool.shutdown();
                }
                assertThat(read(store, KEY, 0, 1 << 20)).as("bytes read by another thread after the interrupt")
                        .isEqualTo(expected(KEY, 0, 1 << 20));
                write(store, KEY, 3 << 20, 4096);
                assertThat(read(store, KEY, 3 << 20, 4096)).as("bytes written after the interrupt")
                        .isEqualTo(expected(KEY, 3 << 20, 4096));
            }
            try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
                assertThat(read(store, KEY, 0, 1 << 20)).as("bytes after a reopen").isEqualTo(expected(KEY, 0, 1 << 20));
            }
        }
    }

    @Nested
    class Locking {

        @Test
        void aFileOpenInAnotherProcessFailsAfterLockWaitWithAClearError() throws Exception {
            Path file = dir.resolve("locked.db");
            try (ChildJvm holder = ChildJvm.start(StoreHolder.class, file.toString())) {
                holder.awaitLine("open");
                assertThatThrownBy(() -> new MapDbRangeStoreProvider()
                                .open(StoreOptions.parse("mapdb:" + file + "?lockWait=300ms")))
                        .as("opening %s with lockWait=300ms while another process holds it", file)
                        .isInstanceOf(RangeStreamException.class)
                        .hasMessageContaining(file.toString())
                        .hasMessageContaining("in use by another process")
                        .hasMessageContaining("waited 300 ms")
                        .hasMessageContaining("lockWait")
                        .hasMessageNotContaining("\n");
                holder.closeInput();
                holder.awaitLine("closed");
                assertThat(holder.waitExit()).as("exit status of the process that held %s", file).isZero();
            }
            try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
                assertThat(store.ranges(KEY)).as("store %s once the other process closed it", file)
                        .isEqualTo(RangeSet.EMPTY);
            }
        }

        @Test
        void aSecondProcessWaitsForTheFirstToClose() throws Exception {
            Path file = dir.resolve("shared.db");
            ExecutorService opener = Executors.newSingleThreadExecutor();
            try (ChildJvm holder = ChildJvm.start(StoreHolder.class, file.toString())) {
                holder.awaitLine("open");
                Future<RangeStore> second = opener.submit(() -> new MapDbRangeStoreProvider()
                        .open(StoreOptions.parse("mapdb:" + file + "?lockWait=2m")));
                holder.closeInput();
                holder.awaitLine("closed");
                try (RangeStore store = second.get()) {
                    assertThat(store.ranges(KEY)).as("store %s opened while another process held it, lockWait=2m", file)
                            .isEqualTo(RangeSet.EMPTY);
                }
            } finally {
                opener.shutdownNow();
            }
        }

        @Test
        void aFileAlreadyOpenInThisProcessIsAClearError() throws IOException {
            Path file = dir.resolve("twice.db");
            try (MapDbRangeStore first = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
                assertThatThrownBy(() -> MapDbRangeStore.open(file, Long.MAX_VALUE, Duration.ZERO))
                        .as("opening %s a second time in one process", file)
                        .isInstanceOf(RangeStreamException.class)
                        .hasMessageContaining(file.toString())
                        .hasMessageContaining("in use");
                assertThat(first.ranges(KEY)).as("first store after the failed second open").isEqualTo(RangeSet.EMPTY);
            }
            assertThat(Files.exists(file)).as("store file %s", file).isTrue();
        }

        @Test
        void lockWaitMustBeADuration() {
            Path file = dir.resolve("cache.db");
            assertThatThrownBy(() -> new MapDbRangeStoreProvider().open(StoreOptions.parse("mapdb:" + file + "?lockWait=soon")))
                    .as("spec mapdb:%s?lockWait=soon", file)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("lockWait")
                    .hasMessageContaining("'soon'");
            assertThat(file).as("file of a rejected spec").doesNotExist();
        }
    }
}
