package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.spi.ChunkAdoption;
import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeStoreProvider;
import io.rangestreams.spi.ResourceVersion;
import io.rangestreams.spi.StoreOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance rules S1 to S15 of {@link RangeStore} (stated in its javadoc), for one store
 * implementation. Certify a store with a three-line subclass in your test sources:
 *
 * <pre>{@code
 * class MyStoreContractTest extends RangeStoreContract {
 *     @Override protected RangeStore newStore(Path dir) { return new MyRangeStore(dir.resolve("cache")); }
 * }
 * }</pre>
 *
 * <p>Override {@link #newStore(Path, long)} as well if the store can be bounded, so rule S8 runs; a
 * rule the store does not declare a {@link RangeStore.Capability capability} for is reported as
 * skipped with the reason. Test methods are final: a rule cannot be overridden away.
 *
 * <p>Rule S15 opens the store through its {@link RangeStoreProvider}, found with {@link ServiceLoader}
 * as {@code RangeClient} finds it: register it in {@code META-INF/services}, and override
 * {@link #storeOptions(Path)} if the store needs a location or parameters. A store must pass this
 * contract and {@link RangeStreamContract} (with a certified transport) alike: some faults show in
 * one only.
 */
public abstract class RangeStoreContract {

    private static final String KEY = "http://127.0.0.1:1/tck/a.bin";
    private static final String OTHER = "http://127.0.0.1:1/tck/b.bin";
    private static final ResourceVersion V1 =
            new ResourceVersion(1 << 20, Optional.of("\"v1\""), Optional.of("Mon, 01 Jan 2024 01:00:00 GMT"));
    private static final ResourceVersion V2 =
            new ResourceVersion(1 << 20, Optional.of("\"v2\""), Optional.of("Mon, 01 Jan 2024 02:00:00 GMT"));

    /** A fresh directory for the store's files, one per test. */
    @TempDir
    protected Path dir;

    private final List<RangeStore> opened = new ArrayList<>();

    /**
     * A store whose files (if any) live under {@code dir}. Called again with the same directory after
     * the first store was closed, a {@link RangeStore.Capability#PERSISTENT} store must hold the same
     * data (rule S9).
     */
    protected abstract RangeStore newStore(Path dir) throws IOException;

    /**
     * A store holding at most {@code maxBytes}, declaring {@link RangeStore.Capability#BOUNDED}. The
     * default returns {@link #newStore(Path)}, and rule S8 is skipped unless that store declares
     * {@code BOUNDED}.
     */
    protected RangeStore newStore(Path dir, long maxBytes) throws IOException {
        return newStore(dir);
    }

    /**
     * The options that open this store through its provider, with any files under {@code dir} (rule
     * S15). The default is the store's name alone ({@code memory}); a store that needs a location
     * returns it, as {@code StoreOptions.parse("mapdb:" + dir.resolve("cache.db"))}.
     */
    protected StoreOptions storeOptions(Path dir) throws IOException {
        try (RangeStore s = newStore(dir.resolve("name"))) {
            return StoreOptions.of(s.name());
        }
    }

    /** The bytes tests write at {@code position} of a resource: deterministic, computable anywhere. */
    protected static byte[] content(ResourceVersion v, long position, int length) {
        byte[] b = new byte[length];
        RangeServer.fill(v.etag().orElse("").hashCode(), position, b, length);
        return b;
    }

    @AfterEach
    final void closeStores() throws IOException {
        for (RangeStore s : opened) {
            s.close();
        }
    }

    private RangeStore open() throws IOException {
        RangeStore s = newStore(dir);
        opened.add(s);
        return s;
    }

    private RangeStore openBounded(long maxBytes) throws IOException {
        RangeStore s = newStore(dir, maxBytes);
        opened.add(s);
        return s;
    }

    private static void write(RangeStore s, String key, ResourceVersion v, long position, int length)
            throws IOException {
        assertThat(s.write(key, v, position, ByteBuffer.wrap(content(v, position, length))))
                .as("%s: write of %s to %s bound to %s", s.name(), Range.of(position, position + length), key, v)
                .isTrue();
    }

    private static byte[] read(RangeStore s, String key, long position, int length) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(length);
        int n = s.read(key, position, dst);
        byte[] out = new byte[n];
        dst.flip();
        dst.get(out);
        return out;
    }

    /** Every range {@code ranges()} claims reads back exactly, in one read. */
    private static void assertClaimsReadable(RangeStore s, String key, ResourceVersion v) throws IOException {
        for (Range r : s.ranges(key)) {
            assertThat(read(s, key, r.start(), (int) r.length()))
                    .as("%s: bytes of %s, which ranges() claims (%s)", s.name(), r, s.ranges(key))
                    .isEqualTo(content(v, r.start(), (int) r.length()));
        }
    }

    /** S1 to S4: what is written is what is read, and {@code ranges()} tells the truth. */
    @Nested
    @DisplayName("S1-S4, S13 bytes and ranges")
    class BytesAndRanges {

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

    /** S5 to S7: versions and keys. */
    @Nested
    @DisplayName("S5-S7 versions and keys")
    class VersionsAndKeys {

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

    /** S15: the store is found and opened the way {@code RangeClient} does it. */
    @Nested
    @DisplayName("S15 registration")
    class Registration {

        private RangeStoreProvider provider(String name) {
            List<RangeStoreProvider> providers = ServiceLoader.load(RangeStoreProvider.class).stream()
                    .map(ServiceLoader.Provider::get).toList();
            return providers.stream().filter(p -> p.name().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no RangeStoreProvider named '" + name + "' in META-INF/services/"
                            + RangeStoreProvider.class.getName() + "; found "
                            + providers.stream().map(RangeStoreProvider::name).toList()));
        }

        @Test
        @DisplayName("S15 a provider of the store's name is registered and opens a working store of that name")
        final void providerIsRegisteredUnderItsName() throws IOException {
            StoreOptions options = storeOptions(dir.resolve("spec"));
            String name = open().name();
            assertThat(options.name()).as("%s: name in storeOptions(dir)", name).isEqualTo(name);
            RangeStore s = provider(name).open(options);
            opened.add(s);
            assertThat(s.name()).as("%s: name of the store its provider opens from %s", name, options).isEqualTo(name);
            s.bind(KEY, V1);
            write(s, KEY, V1, 10, 500);
            assertThat(read(s, KEY, 10, 500)).as("%s: bytes through a store opened from %s", name, options)
                    .isEqualTo(content(V1, 10, 500));
        }

        @Test
        @DisplayName("S15 an unknown spec parameter is rejected with IllegalArgumentException naming it")
        final void unknownParameterIsRejected() throws IOException {
            StoreOptions options = storeOptions(dir.resolve("spec"));
            Map<String, String> parameters = new HashMap<>(options.parameters());
            parameters.put("tckUnknownParameter", "1");
            StoreOptions unknown = new StoreOptions(options.name(), options.location(), parameters);
            RangeStoreProvider provider = provider(options.name());
            assertThatThrownBy(() -> opened.add(provider.open(unknown)))
                    .as("%s: opening %s", options.name(), unknown)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tckUnknownParameter");
        }
    }

    /** S8 and S9: the optional capabilities. */
    @Nested
    @DisplayName("S8, S9, S14 capabilities")
    class Capabilities {

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
            RangeStore first = newStore(dir);
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

    /** S10 to S12: concurrency, lifecycle and bad input. */
    @Nested
    @DisplayName("S10-S12 concurrency and lifecycle")
    class ConcurrencyAndLifecycle {

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
            RangeStore s = newStore(dir);
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

    /** An array to fill: the store's own when it adopts chunks (S13, S14), else a new one. */
    private static byte[] newChunk(RangeStore s, int size) {
        return s instanceof ChunkAdoption adoption ? adoption.newChunk(size) : new byte[size];
    }

    /** Hands a filled array to the store: adopted when it can, else written as a copy. */
    private static boolean writeOwned(RangeStore s, String key, ResourceVersion version, long position, byte[] bytes,
            int length) throws IOException {
        return s instanceof ChunkAdoption adoption ? adoption.writeOwned(key, version, position, bytes, length)
                : s.write(key, version, position, ByteBuffer.wrap(bytes, 0, length));
    }
}
