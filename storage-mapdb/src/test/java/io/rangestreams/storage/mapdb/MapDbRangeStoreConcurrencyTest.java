package io.rangestreams.storage.mapdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.RangeStreamException;
import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.StoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** A MapDB store under threads, interrupts and other processes holding its file. */
class MapDbRangeStoreConcurrencyTest extends MapDbRangeStoreFixture {

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
