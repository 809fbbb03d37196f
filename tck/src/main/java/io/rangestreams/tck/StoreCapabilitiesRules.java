package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.spi.RangeStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** S8 and S9: the optional capabilities. */
abstract class StoreCapabilitiesRules extends StoreFixture {

    StoreCapabilitiesRules(RangeStoreContract contract) {
        super(contract);
    }

    @Test
    @DisplayName("S8 a bounded store evicts least recently used pieces and ranges() never claims lost bytes")
    final void boundedStoreEvicts() throws IOException {
        long limit = 4096;
        RangeStore s = openBounded(limit);
        Assumptions.assumeTrue(s.capabilities().contains(RangeStore.Capability.BOUNDED),
                () -> "store " + s.name() + " does not declare BOUNDED (override newStore(Path, long) to certify S8)");
        s.bind(KEY, V1);
        write(s, KEY, V1, 0, 1024);
        write(s, KEY, V1, 10_000, 1024);
        write(s, KEY, V1, 20_000, 1024);
        write(s, KEY, V1, 30_000, 1024);
        read(s, KEY, 0, 1024); // [0, 1024) is now the most recently used
        write(s, KEY, V1, 40_000, 1024);
        RangeSet held = s.ranges(KEY);
        assertThat(held.totalLength()).as("%s: bytes held with limit %d: %s", s.name(), limit, held)
                .isLessThanOrEqualTo(limit);
        assertThat(held.encloses(Range.of(40_000, 41_024))).as("%s: the piece just written is held: %s", s.name(), held)
                .isTrue();
        assertThat(held.encloses(Range.of(0, 1024))).as("%s: the piece read last is kept: %s", s.name(), held)
                .isTrue();
        assertThat(held.intersect(Range.of(10_000, 11_024)).isEmpty())
                .as("%s: the least recently used piece [10000, 11024) is evicted: %s", s.name(), held).isTrue();
        assertClaimsReadable(s, KEY, V1);
        Random random = new Random(7);
        for (int i = 0; i < 100; i++) {
            int position = random.nextInt(100_000);
            int length = 1 + random.nextInt(1500);
            if (i % 2 == 0) {
                write(s, KEY, V1, position, length);
            } else {
                byte[] chunk = newChunk(s, length);
                System.arraycopy(content(V1, position, length), 0, chunk, 0, length);
                assertThat(writeOwned(s, KEY, V1, position, chunk, length))
                        .as("%s: writeOwned of %d bytes at %d", s.name(), length, position).isTrue();
            }
            RangeSet now = s.ranges(KEY);
            assertThat(now.totalLength()).as("%s: bytes held with limit %d after write %d: %s", s.name(), limit, i,
                    now).isLessThanOrEqualTo(limit);
            assertClaimsReadable(s, KEY, V1);
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a guard against a hang only, however loaded the machine
    @DisplayName("S14 reads racing eviction and the reuse of evicted arrays never return bytes of another piece")
    final void readsRacingEvictionAreExact() throws Exception {
        int chunk = 16 * 1024;
        RangeStore s = openBounded(8L * chunk);
        Assumptions.assumeTrue(s.capabilities().contains(RangeStore.Capability.BOUNDED),
                () -> "store " + s.name() + " does not declare BOUNDED (override newStore(Path, long) to certify S14)");
        s.bind(KEY, V1);
        int pieces = 3000;
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            // One writer fills arrays the store hands out (evicted ones, reused) at ever later
            // positions, as a sequential fetch does; two readers copy what was just written.
            Future<Void> writer = pool.submit(() -> {
                for (int i = 0; i < pieces; i++) {
                    long position = (long) i * chunk;
                    byte[] bytes = newChunk(s, chunk);
                    System.arraycopy(content(V1, position, chunk), 0, bytes, 0, chunk);
                    writeOwned(s, KEY, V1, position, bytes, chunk);
                    written.set(position + chunk);
                }
                return null;
            });
            List<Future<Long>> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                long seed = t;
                readers.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    long bytesChecked = 0;
                    for (int reads = 0; reads < 100 || !writer.isDone(); reads++) {
                        long at = Math.max(0, written.get() - random.nextInt(6 * chunk));
                        byte[] got = read(s, KEY, at, 2 * chunk);
                        assertThat(got).as("%s: %d bytes read at %d while pieces were evicted and their arrays"
                                + " reused", s.name(), got.length, at).isEqualTo(content(V1, at, got.length));
                        bytesChecked += got.length;
                    }
                    return bytesChecked;
                }));
            }
            writer.get();
            long checked = 0;
            for (Future<Long> r : readers) {
                checked += r.get();
            }
            assertThat(checked).as("%s: bytes the readers read and checked", s.name()).isPositive();
        } finally {
            pool.shutdownNow();
        }
        assertClaimsReadable(s, KEY, V1);
    }

    @Test
    @DisplayName("S9 a persistent store reopened holds the same versions, ranges and bytes")
    final void persistentStoreSurvivesReopen() throws IOException {
        RangeStore first = newStore(dir());
        boolean persistent = first.capabilities().contains(RangeStore.Capability.PERSISTENT);
        try {
            Assumptions.assumeTrue(persistent, () -> "store " + first.name() + " does not declare PERSISTENT");
            first.bind(KEY, V1);
            first.bind(OTHER, V2);
            write(first, KEY, V1, 0, 3000);
            write(first, KEY, V1, 10_000, 500);
            write(first, OTHER, V2, 7, 70);
        } finally {
            first.close();
        }
        RangeStore s = open();
        assertThat(s.version(KEY)).as("%s: version of %s after reopen", s.name(), KEY).contains(V1);
        assertThat(s.version(OTHER)).as("%s: version of %s after reopen", s.name(), OTHER).contains(V2);
        assertThat(s.ranges(KEY)).as("%s: ranges of %s after reopen", s.name(), KEY)
                .isEqualTo(RangeSet.of(Range.of(0, 3000), Range.of(10_000, 10_500)));
        assertClaimsReadable(s, KEY, V1);
        assertClaimsReadable(s, OTHER, V2);
    }
}
