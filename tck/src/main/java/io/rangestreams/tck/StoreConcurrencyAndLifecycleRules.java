package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.spi.RangeStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** S10 to S12: concurrency, lifecycle and bad input. */
abstract class StoreConcurrencyAndLifecycleRules extends StoreFixture {

    StoreConcurrencyAndLifecycleRules(RangeStoreContract contract) {
        super(contract);
    }

    @Test
    @DisplayName("S10 concurrent writes and reads of one key keep S1 and S2")
    final void concurrentWritesAndReads() throws Exception {
        RangeStore s = open();
        s.bind(KEY, V1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long seed = t;
                Callable<Void> task = () -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < 200; i++) {
                        int start = random.nextInt(50_000);
                        int len = 1 + random.nextInt(800);
                        write(s, KEY, V1, start, len);
                        int at = random.nextInt(50_000);
                        byte[] got = read(s, KEY, at, 300);
                        assertThat(got).as("%s: concurrent read at %d (thread %d)", s.name(), at, seed)
                                .isEqualTo(content(V1, at, got.length));
                    }
                    return null;
                };
                done.add(pool.submit(task));
            }
            for (Future<Void> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertClaimsReadable(s, KEY, V1);
    }

    @Test
    @DisplayName("S11 close is idempotent and use after close throws IllegalStateException")
    final void closeIsIdempotent() throws IOException {
        RangeStore s = newStore(dir());
        s.bind(KEY, V1);
        s.close();
        s.close();
        assertThatThrownBy(() -> s.ranges(KEY)).as("%s: ranges() after close", s.name())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.read(KEY, 0, ByteBuffer.allocate(1))).as("%s: read() after close", s.name())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.write(KEY, V1, 0, ByteBuffer.allocate(1))).as("%s: write() after close", s.name())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.bind(KEY, V1)).as("%s: bind() after close", s.name())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    @DisplayName("S12 a negative position is rejected with IllegalArgumentException and changes nothing")
    final void negativePositionIsRejected() throws IOException {
        RangeStore s = open();
        s.bind(KEY, V1);
        write(s, KEY, V1, 0, 100);
        assertThatThrownBy(() -> s.write(KEY, V1, -1, ByteBuffer.allocate(10)))
                .as("%s: write at -1", s.name()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.read(KEY, -1, ByteBuffer.allocate(10)))
                .as("%s: read at -1", s.name()).isInstanceOf(IllegalArgumentException.class);
        assertThat(s.ranges(KEY)).as("%s: ranges after rejected input", s.name())
                .isEqualTo(RangeSet.of(Range.of(0, 100)));
        assertClaimsReadable(s, KEY, V1);
    }
}
