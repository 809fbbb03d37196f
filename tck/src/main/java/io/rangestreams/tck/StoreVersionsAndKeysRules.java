package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.spi.RangeStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** S5 to S7: versions and keys. */
abstract class StoreVersionsAndKeysRules extends StoreFixture {

    StoreVersionsAndKeysRules(RangeStoreContract contract) {
        super(contract);
    }

    @Test
    @DisplayName("S5 binding another version drops held bytes; the same version keeps them")
    final void bindingAnotherVersionDrops() throws IOException {
        RangeStore s = open();
        assertThat(s.version(KEY)).as("%s: version of an unknown key", s.name()).isEmpty();
        assertThat(s.bind(KEY, V1)).as("%s: first bind drops nothing", s.name()).isFalse();
        write(s, KEY, V1, 0, 1000);
        assertThat(read(s, KEY, 0, 1000)).as("%s: bytes of the first version at [0, 1000)", s.name())
                .isEqualTo(content(V1, 0, 1000));
        assertThat(s.bind(KEY, V1)).as("%s: binding the same version again", s.name()).isFalse();
        assertThat(s.ranges(KEY)).as("%s: ranges after binding the same version", s.name())
                .isEqualTo(RangeSet.of(Range.of(0, 1000)));
        assertThat(s.bind(KEY, V2)).as("%s: binding %s over %s drops bytes", s.name(), V2, V1).isTrue();
        assertThat(s.version(KEY)).as("%s: version after rebinding", s.name()).contains(V2);
        assertThat(s.ranges(KEY)).as("%s: ranges after binding a new version", s.name()).isEqualTo(RangeSet.EMPTY);
        assertThat(s.read(KEY, 0, ByteBuffer.allocate(100))).as("%s: read of old bytes after rebinding", s.name())
                .isZero();
        write(s, KEY, V2, 0, 1000);
        assertThat(read(s, KEY, 0, 1000)).as("%s: bytes of the new version at [0, 1000), read before as the old",
                s.name()).isEqualTo(content(V2, 0, 1000));
    }

    @Test
    @DisplayName("S6 a write tagged with another version stores nothing")
    final void writeOfAnotherVersionIsRefused() throws IOException {
        RangeStore s = open();
        assertThat(s.write(KEY, V1, 0, ByteBuffer.wrap(content(V1, 0, 10))))
                .as("%s: write to an unbound key", s.name()).isFalse();
        s.bind(KEY, V2);
        assertThat(s.read(KEY, 0, ByteBuffer.allocate(100))).as("%s: read before any write", s.name()).isZero();
        write(s, KEY, V2, 0, 100);
        assertThat(read(s, KEY, 0, 100)).as("%s: bytes written after a read found none", s.name())
                .isEqualTo(content(V2, 0, 100));
        assertThat(s.read(KEY, 100, ByteBuffer.allocate(10))).as("%s: read where nothing is held", s.name())
                .isZero();
        assertThat(s.write(KEY, V1, 100, ByteBuffer.wrap(content(V1, 100, 100))))
                .as("%s: write tagged %s to a key bound to %s", s.name(), V1, V2).isFalse();
        assertThat(s.ranges(KEY)).as("%s: ranges after a refused write", s.name())
                .isEqualTo(RangeSet.of(Range.of(0, 100)));
        assertThat(s.read(KEY, 100, ByteBuffer.allocate(10))).as("%s: read where the refused write was", s.name())
                .isZero();
        write(s, KEY, V2, 100, 100);
        assertThat(read(s, KEY, 100, 10)).as("%s: bytes written where a read found none before", s.name())
                .isEqualTo(content(V2, 100, 10));
    }

    @Test
    @DisplayName("S7 keys are independent and remove drops one key")
    final void keysAreIndependent() throws IOException {
        RangeStore s = open();
        s.bind(KEY, V1);
        s.bind(OTHER, V2);
        write(s, KEY, V1, 0, 100);
        write(s, OTHER, V2, 50, 100);
        assertThat(read(s, KEY, 0, 100)).as("%s: bytes of %s", s.name(), KEY).isEqualTo(content(V1, 0, 100));
        assertThat(read(s, OTHER, 50, 100)).as("%s: bytes of %s", s.name(), OTHER).isEqualTo(content(V2, 50, 100));
        s.remove(KEY);
        assertThat(s.version(KEY)).as("%s: version of a removed key", s.name()).isEmpty();
        assertThat(s.ranges(KEY)).as("%s: ranges of a removed key", s.name()).isEqualTo(RangeSet.EMPTY);
        assertThat(s.ranges(OTHER)).as("%s: ranges of the other key after remove", s.name())
                .isEqualTo(RangeSet.of(Range.of(50, 150)));
        assertThat(s.version(OTHER)).as("%s: version of the other key after remove", s.name()).contains(V2);
    }
}
