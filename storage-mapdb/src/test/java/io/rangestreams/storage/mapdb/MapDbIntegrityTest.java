package io.rangestreams.storage.mapdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.RangeStreamException;
import io.rangestreams.spi.ResourceVersion;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store file damaged while closed (plain file writes, as another process would make them): the data
 * file's damaged pieces are dropped and never read back wrong; a MapDB file that cannot be read gives
 * one line naming it and what to do.
 */
class MapDbIntegrityTest {

    private static final String KEY = "http://127.0.0.1/file.bin";
    private static final long LENGTH = 16L << 20;
    private static final ResourceVersion V1 = Content.version(LENGTH, "v1");

    @TempDir
    Path dir;

    /** Fills a store with the whole resource in 256 KiB writes and closes it. */
    private Path filledStore() throws IOException {
        Path file = dir.resolve("cache.db");
        try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
            store.bind(KEY, V1);
            for (long pos = 0; pos < LENGTH; pos += 256 * 1024) {
                store.write(KEY, V1, pos, Content.bytes(KEY, pos, 256 * 1024));
            }
        }
        return file;
    }

    /**
     * Reads every range the store claims; asserts each byte returned is right, and returns how many
     * were returned. A damaged piece ends a read short.
     */
    private static long readAllChecked(MapDbRangeStore store, String what) throws IOException {
        long good = 0;
        for (Range r : store.ranges(KEY)) {
            long pos = r.start();
            while (pos < r.stop()) {
                ByteBuffer dst = ByteBuffer.allocate((int) Math.min(1 << 20, r.stop() - pos));
                int n = store.read(KEY, pos, dst);
                assertThat(dst.flip()).as("%s: the %d bytes read at %d", what, n, pos)
                        .isEqualTo(Content.bytes(KEY, pos, n));
                good += n;
                pos += n;
                if (n < dst.capacity()) {
                    pos = store.ranges(KEY).gaps(Range.of(pos, r.stop())).iterator().next().stop();
                }
            }
        }
        return good;
    }

    private void damagedDataFileHealsItself(String what, long at, byte[] damage) throws IOException {
        Path file = filledStore();
        try (RandomAccessFile raf = new RandomAccessFile(MapDbFile.dataFileOf(file).toFile(), "rw")) {
            raf.seek(at);
            raf.write(damage);
        }
        try (WarningLog log = new WarningLog(); MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
            readAllChecked(store, what);
            RangeSet left = store.ranges(KEY);
            assertThat(left.totalLength()).as("%s: bytes still held after reading everything", what)
                    .isLessThan(LENGTH)
                    .isGreaterThanOrEqualTo(LENGTH - damage.length - 2L * MapDbRangeStore.MAX_PIECE);
            assertThat(left.encloses(Range.of(at, at + damage.length)))
                    .as("%s: the damaged bytes [%d, %d) are no longer claimed: %s", what, at, at + damage.length, left)
                    .isFalse();
            assertThat(readAllChecked(store, what + ", read again")).as("%s: bytes read back on a second pass", what)
                    .isEqualTo(left.totalLength());
            assertThat(log.messages()).as("%s: warnings logged", what)
                    .anySatisfy(m -> assertThat(m).contains("fail their checksum").contains(KEY).contains("dropped"));
            assertThat(store.write(KEY, V1, 0, Content.bytes(KEY, 0, (int) LENGTH)))
                    .as("%s: writing the whole resource again", what).isTrue();
            assertThat(store.ranges(KEY)).as("%s: ranges once written again", what)
                    .isEqualTo(RangeSet.of(Range.of(0, LENGTH)));
        }
        try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
            assertThat(readAllChecked(store, what + ", healed and reopened")).as("%s: bytes held once healed", what)
                    .isEqualTo(LENGTH);
        }
    }

    @Nested
    class DataFile {

        @Test
        void flippedBytesAreDroppedNeverReturned() throws IOException {
            byte[] flipped = new byte[2000];
            try (RandomAccessFile raf = new RandomAccessFile(filledStore().resolveSibling("cache.db.data").toFile(), "r")) {
                raf.seek(5_000_000);
                raf.readFully(flipped);
            }
            for (int i = 0; i < flipped.length; i++) {
                flipped[i] ^= (byte) 0x5A;
            }
            damagedDataFileHealsItself("2000 bytes flipped at 5000000", 5_000_000, flipped);
        }

        @Test
        void zeroedBytesAreDroppedNeverReturned() throws IOException {
            damagedDataFileHealsItself("4 MiB zeroed at 3 MiB", 3L << 20, new byte[4 << 20]);
        }

        @Test
        void aTruncatedDataFileDropsThePiecesItLost() throws IOException {
            Path file = filledStore();
            try (RandomAccessFile raf = new RandomAccessFile(MapDbFile.dataFileOf(file).toFile(), "rw")) {
                raf.setLength(LENGTH / 2 + 12345);
            }
            try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
                readAllChecked(store, "data file cut to half its length");
                assertThat(store.ranges(KEY).totalLength()).as("bytes held after reading a data file cut in half")
                        .isLessThanOrEqualTo(LENGTH / 2 + 12345);
            }
        }
    }

    @Nested
    class IndexFile {

        @Test
        void aZeroedHeaderIsOneLineNamingTheFileAndWhatToDo() throws IOException {
            Path file = filledStore();
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.write(new byte[4096]);
            }
            assertThatThrownBy(() -> MapDbRangeStore.open(file, Long.MAX_VALUE))
                    .as("opening %s with its first 4 KiB zeroed", file)
                    .isInstanceOf(RangeStreamException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("damaged")
                    .hasMessageContaining("delete it")
                    .satisfies(e -> assertThat(e.getMessage()).as("message of %s", e).doesNotContain("\n"));
        }

        @Test
        void randomDamageEitherOpensWithOnlyRightBytesOrFailsInOneLine() throws IOException {
            long seed = System.nanoTime();
            Random random = new Random(seed);
            for (int round = 0; round < 6; round++) {
                Path file = dir.resolve("round" + round + ".db");
                try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
                    store.bind(KEY, V1);
                    for (int i = 0; i < 40; i++) {
                        long pos = random.nextLong(LENGTH - 300_000);
                        store.write(KEY, V1, pos, Content.bytes(KEY, pos, 1 + random.nextInt(300_000)));
                    }
                }
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                    for (int i = 0; i < 2000; i++) {
                        raf.seek(16 + random.nextLong(raf.length() - 16));
                        raf.write(random.nextInt(256));
                    }
                }
                String what = "round " + round + ", 2000 random bytes of the index file changed (seed " + seed + ")";
                Throwable failure = catchThrowable(() -> {
                    try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
                        readAllChecked(store, what);
                    }
                });
                if (failure != null) {
                    assertThat(failure).as(what).isInstanceOf(RangeStreamException.class)
                            .hasMessageContaining(file.toString())
                            .satisfies(e -> assertThat(e.getMessage()).as("message of %s", e).doesNotContain("\n"));
                }
            }
        }
    }
}
