package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.spi.ChunkAdoption;
import io.rangestreams.spi.RangeStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** S1 to S4: what is written is what is read, and {@code ranges()} tells the truth. */
abstract class StoreBytesAndRangesRules extends StoreFixture {

    StoreBytesAndRangesRules(RangeStoreContract contract) {
        super(contract);
    }

    @Test
    @DisplayName("S1 bytes written are read back exactly at any offset")
    final void readsBackExactly() throws IOException {
        RangeStore s = open();
        s.bind(KEY, V1);
        write(s, KEY, V1, 1000, 5000);
        for (long pos = 1000; pos < 6000; pos += 997) {
            int len = (int) Math.min(700, 6000 - pos);
            assertThat(read(s, KEY, pos, len)).as("%s: read of %d bytes at %d", s.name(), len, pos)
                    .isEqualTo(content(V1, pos, len));
        }
    }

    @Test
    @DisplayName("S2 overlapping and adjacent writes merge in ranges()")
    final void overlappingAndAdjacentWritesMerge() throws IOException {
        RangeStore s = open();
        s.bind(KEY, V1);
        write(s, KEY, V1, 0, 100);
        write(s, KEY, V1, 50, 100); // overlaps
        write(s, KEY, V1, 150, 50); // adjacent
        write(s, KEY, V1, 300, 10);
        assertThat(s.ranges(KEY)).as("%s: ranges after writes [0,100) [50,150) [150,200) [300,310)", s.name())
                .isEqualTo(RangeSet.of(Range.of(0, 200), Range.of(300, 310)));
        assertClaimsReadable(s, KEY, V1);
    }

    @Test
    @DisplayName("S2 ranges() is the union of random writes and never claims unreadable bytes")
    final void rangesFollowAModel() throws IOException {
        RangeStore s = open();
        s.bind(KEY, V1);
        BitSet model = new BitSet();
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            int start = random.nextInt(20_000);
            int len = 1 + random.nextInt(500);
            write(s, KEY, V1, start, len);
            model.set(start, start + len);
        }
        RangeSet expected = RangeSet.EMPTY;
        for (int i = model.nextSetBit(0); i >= 0; i = model.nextSetBit(model.nextClearBit(i))) {
            expected = expected.union(Range.of(i, model.nextClearBit(i)));
        }
        assertThat(s.ranges(KEY)).as("%s: ranges after 200 random writes (seed 42)", s.name()).isEqualTo(expected);
        assertClaimsReadable(s, KEY, V1);
    }

    @Test
    @DisplayName("S3 a read spanning several written pieces returns them contiguously")
    final void readSpansPieces() throws IOException {
        RangeStore s = open();
        s.bind(KEY, V1);
        write(s, KEY, V1, 20, 10);
        write(s, KEY, V1, 0, 10);
        write(s, KEY, V1, 10, 10);
        write(s, KEY, V1, 5, 20);
        assertThat(read(s, KEY, 0, 30)).as("%s: one read of [0, 30) over pieces written out of order", s.name())
                .isEqualTo(content(V1, 0, 30));
    }

    @Test
    @DisplayName("S13 arrays handed over with writeOwned are stored as write stores them")
    final void handedOverArraysAreStoredLikeWrites() throws IOException {
        RangeStore s = open();
        Assumptions.assumeTrue(s instanceof ChunkAdoption,
                () -> "store " + s.name() + " does not adopt chunks (ChunkAdoption)");
        s.bind(KEY, V1);
        byte[] chunk = newChunk(s, 4096);
        assertThat(chunk).as("%s: newChunk(4096)", s.name()).hasSize(4096);
        System.arraycopy(content(V1, 8192, 4096), 0, chunk, 0, 4096);
        assertThat(writeOwned(s, KEY, V1, 8192, chunk, 4096)).as("%s: writeOwned of [8192, 12288)", s.name())
                .isTrue();
        // Overlapping held bytes, and filled only in part: the rest of the array is not stored.
        byte[] part = newChunk(s, 4096);
        Arrays.fill(part, (byte) 0x5a);
        System.arraycopy(content(V1, 10_000, 3000), 0, part, 0, 3000);
        assertThat(writeOwned(s, KEY, V1, 10_000, part, 3000))
                .as("%s: writeOwned of the first 3000 bytes of a 4096-byte array at 10000", s.name()).isTrue();
        byte[] other = newChunk(s, 100);
        System.arraycopy(content(V2, 0, 100), 0, other, 0, 100);
        assertThat(writeOwned(s, KEY, V2, 0, other, 100)).as("%s: writeOwned tagged %s to a key bound to %s",
                s.name(), V2, V1).isFalse();
        assertThat(s.ranges(KEY)).as("%s: ranges after writeOwned of [8192, 12288) and [10000, 13000)", s.name())
                .isEqualTo(RangeSet.of(Range.of(8192, 13_000)));
        assertClaimsReadable(s, KEY, V1);
    }

    @Test
    @DisplayName("S4 a read in a gap returns 0 and a read stops at the end of its held range")
    final void gapsAreAbsent() throws IOException {
        RangeStore s = open();
        s.bind(KEY, V1);
        write(s, KEY, V1, 100, 100);
        write(s, KEY, V1, 300, 100);
        ByteBuffer dst = ByteBuffer.allocate(50);
        assertThat(s.read(KEY, 250, dst)).as("%s: read at 250, in the gap [200, 300)", s.name()).isZero();
        assertThat(dst.position()).as("%s: bytes copied by a read in a gap", s.name()).isZero();
        assertThat(s.read(KEY, 99, ByteBuffer.allocate(10))).as("%s: read at 99, just before [100, 200)", s.name())
                .isZero();
        assertThat(read(s, KEY, 150, 200)).as("%s: read of 200 bytes at 150, held only up to 200", s.name())
                .isEqualTo(content(V1, 150, 50));
        assertThat(s.ranges(OTHER)).as("%s: ranges of a key never written", s.name()).isEqualTo(RangeSet.EMPTY);
        assertThat(s.read(OTHER, 0, ByteBuffer.allocate(10))).as("%s: read of a key never written", s.name())
                .isZero();
    }
}
