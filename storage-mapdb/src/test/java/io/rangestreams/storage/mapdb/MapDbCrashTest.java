package io.rangestreams.storage.mapdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer process killed with SIGKILL at random moments leaves a store that reopens, in which every
 * byte {@code ranges()} claims is correct. The writer's bounded store commits every MiB or so, so the
 * kills land before, during and after commits, evictions and reuse of freed space.
 */
class MapDbCrashTest {

    private static final int KILLS = 12;
    private static final long MAX_BYTES = 6L << 20;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES) // a dozen child JVMs on a busy two-core machine
    void everyClaimedByteIsCorrectAfterRepeatedKills() throws Exception {
        Path file = dir.resolve("crash.db");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long claimedEver = 0;
        for (int run = 0; run < KILLS; run++) {
            int killAfter = random.nextInt(40); // 0: right after "started", mid-way through the first write
            try (ChildJvm writer = ChildJvm.start(CrashWriter.class, file.toString(), Long.toString(MAX_BYTES),
                    Long.toString(random.nextLong()))) {
                writer.awaitLine("started");
                if (killAfter > 0) {
                    writer.awaitLine("progress " + killAfter);
                }
                writer.kill();
            }
            claimedEver += checkEveryClaimedByte(file, "run " + run + " (seed " + seed + ", killed after " + killAfter
                    + " writes)");
        }
        assertThat(claimedEver).as("bytes claimed over %d killed runs (seed %d)", KILLS, seed).isPositive();
    }

    /** Reopens the store and compares every claimed byte with the content; returns how many were claimed. */
    private static long checkEveryClaimedByte(Path file, String what) throws IOException {
        long claimed = 0;
        try (MapDbRangeStore store = MapDbRangeStore.open(file, MAX_BYTES)) {
            for (String key : CrashWriter.KEYS) {
                RangeSet ranges = store.ranges(key);
                if (!ranges.isEmpty()) {
                    assertThat(store.version(key)).as("%s: version of %s, which holds %s", what, key, ranges)
                            .contains(CrashWriter.version());
                }
                for (Range r : ranges) {
                    ByteBuffer dst = ByteBuffer.allocate((int) r.length());
                    int n = store.read(key, r.start(), dst);
                    assertThat(n).as("%s: bytes read back from %s of %s", what, r, key).isEqualTo(r.length());
                    ByteBuffer expected = Content.bytes(key, r.start(), (int) r.length());
                    assertThat(dst.flip()).as("%s: content of %s of %s", what, r, key).isEqualTo(expected);
                    claimed += r.length();
                }
            }
            assertThat(store.heldBytes()).as("%s: bytes held against the ranges claimed", what).isEqualTo(claimed)
                    .isLessThanOrEqualTo(MAX_BYTES);
        }
        return claimed;
    }
}
