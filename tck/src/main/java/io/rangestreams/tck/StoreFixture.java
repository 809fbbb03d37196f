package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.spi.ChunkAdoption;
import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.ResourceVersion;
import io.rangestreams.spi.StoreOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the rules of {@link RangeStoreContract} share: the contract's hooks and directory, the stores the
 * rules use (closed by the contract), and writing and reading back deterministic content.
 */
abstract class StoreFixture {

    static final String KEY = "http://127.0.0.1:1/tck/a.bin";
    static final String OTHER = "http://127.0.0.1:1/tck/b.bin";
    static final ResourceVersion V1 =
            new ResourceVersion(1 << 20, Optional.of("\"v1\""), Optional.of("Mon, 01 Jan 2024 01:00:00 GMT"));
    static final ResourceVersion V2 =
            new ResourceVersion(1 << 20, Optional.of("\"v2\""), Optional.of("Mon, 01 Jan 2024 02:00:00 GMT"));

    final RangeStoreContract contract;

    StoreFixture(RangeStoreContract contract) {
        this.contract = contract;
    }

    Path dir() {
        return contract.dir;
    }

    RangeStore newStore(Path dir) throws IOException {
        return contract.newStore(dir);
    }

    RangeStore newStore(Path dir, long maxBytes) throws IOException {
        return contract.newStore(dir, maxBytes);
    }

    static byte[] content(ResourceVersion v, long position, int length) {
        return RangeStoreContract.content(v, position, length);
    }

    StoreOptions storeOptions(Path dir) throws IOException {
        return contract.storeOptions(dir);
    }

    RangeStore open() throws IOException {
        RangeStore s = newStore(dir());
        contract.opened.add(s);
        return s;
    }

    RangeStore openBounded(long maxBytes) throws IOException {
        RangeStore s = newStore(dir(), maxBytes);
        contract.opened.add(s);
        return s;
    }

    static void write(RangeStore s, String key, ResourceVersion v, long position, int length)
            throws IOException {
        assertThat(s.write(key, v, position, ByteBuffer.wrap(content(v, position, length))))
                .as("%s: write of %s to %s bound to %s", s.name(), Range.of(position, position + length), key, v)
                .isTrue();
    }

    static byte[] read(RangeStore s, String key, long position, int length) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(length);
        int n = s.read(key, position, dst);
        byte[] out = new byte[n];
        dst.flip();
        dst.get(out);
        return out;
    }

    /** Every range {@code ranges()} claims reads back exactly, in one read. */
    static void assertClaimsReadable(RangeStore s, String key, ResourceVersion v) throws IOException {
        for (Range r : s.ranges(key)) {
            assertThat(read(s, key, r.start(), (int) r.length()))
                    .as("%s: bytes of %s, which ranges() claims (%s)", s.name(), r, s.ranges(key))
                    .isEqualTo(content(v, r.start(), (int) r.length()));
        }
    }

    /** An array to fill: the store's own when it adopts chunks (S13, S14), else a new one. */
    static byte[] newChunk(RangeStore s, int size) {
        return s instanceof ChunkAdoption adoption ? adoption.newChunk(size) : new byte[size];
    }

    /** Hands a filled array to the store: adopted when it can, else written as a copy. */
    static boolean writeOwned(RangeStore s, String key, ResourceVersion version, long position, byte[] bytes,
            int length) throws IOException {
        return s instanceof ChunkAdoption adoption ? adoption.writeOwned(key, version, position, bytes, length)
                : s.write(key, version, position, ByteBuffer.wrap(bytes, 0, length));
    }
}
