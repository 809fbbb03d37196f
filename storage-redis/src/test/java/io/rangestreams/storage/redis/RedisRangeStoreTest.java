package io.rangestreams.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeStoreProvider;
import io.rangestreams.spi.ResourceVersion;
import io.rangestreams.spi.StoreOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redis store against a real {@code redis-server}: the store contract between two stores (two
 * connections, as two processes have), Redis's own eviction, an outage, and a three-node cluster.
 * The single-store contract runs in the tck's matrix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisRangeStoreTest {

    private static final String KEY = "http://127.0.0.1/file.bin";
    private static final ResourceVersion V1 = version(10L << 20, "v1");
    private static final ResourceVersion V2 = version(10L << 20, "v2");

    @TempDir
    Path dir;

    private RedisServer server;
    private final List<RangeStore> opened = new ArrayList<>();
    private int prefixes;

    @BeforeAll
    void startRedis(@TempDir Path redisDir) throws IOException {
        server = RedisServer.start(redisDir);
    }

    @AfterAll
    void stopRedis() {
        server.close();
    }

    @AfterEach
    void closeStores() throws IOException {
        for (RangeStore s : opened) {
            s.close();
        }
        opened.clear();
    }

    static ResourceVersion version(long length, String etag) {
        return new ResourceVersion(length, Optional.of("\"" + etag + "\""), Optional.empty());
    }

    /** The byte at {@code offset} of a version's content. */
    static byte at(ResourceVersion v, long offset) {
        return (byte) ((offset * 31 + v.etag().orElse("").hashCode()) >>> 3);
    }

    static ByteBuffer content(ResourceVersion v, long offset, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = at(v, offset + i);
        }
        return ByteBuffer.wrap(b);
    }

    static byte[] read(RangeStore store, String key, long position, int length) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(length);
        int n = store.read(key, position, dst);
        byte[] out = new byte[n];
        dst.flip().get(out);
        return out;
    }

    /** Every range the store claims reads back as the version's bytes; returns the bytes claimed. */
    static long assertClaimsReadable(RangeStore store, String key, ResourceVersion v, String what) throws IOException {
        long claimed = 0;
        for (Range r : store.ranges(key)) {
            assertThat(read(store, key, r.start(), (int) r.length())).as("%s: bytes of %s claimed by ranges()", what, r)
                    .isEqualTo(content(v, r.start(), (int) r.length()).array());
            claimed += r.length();
        }
        return claimed;
    }

    /** A store through the provider, as a spec names it, on a prefix of its own unless given. */
    private RangeStore open(String uri, String query) throws IOException {
        RangeStore s = provider().open(StoreOptions.parse("redis:" + uri + query));
        opened.add(s);
        return s;
    }

    private String freshPrefix() {
        return "t" + (prefixes++) + "-" + ProcessHandle.current().pid();
    }

    private static RangeStoreProvider provider() {
        return ServiceLoader.load(RangeStoreProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("redis")).findFirst().orElseThrow();
    }

    @Nested
    class Spec {

        @Test
        void opensTheStoreASpecNames() throws Exception {
            RangeStore s = open(server.uri() + "/2", "?maxBytes=1m&prefix=" + freshPrefix());
            assertThat(s.name()).as("name of the store opened from a redis: spec").isEqualTo("redis");
            assertThat(s.maxBytes()).as("maxBytes=1m").isEqualTo(1L << 20);
            assertThat(s.capabilities()).as("capabilities of a bounded redis store")
                    .containsExactlyInAnyOrder(RangeStore.Capability.BOUNDED, RangeStore.Capability.PERSISTENT);
            s.bind(KEY, V1);
            assertThat(s.write(KEY, V1, 5, content(V1, 5, 100))).as("write to database 2").isTrue();
            assertThat(server.cli("-n", "2", "dbsize")).as("keys in database 2").doesNotStartWith("0");
        }

        @Test
        void takesThePasswordFromTheRedisUri() throws Exception {
            try (RedisServer guarded = RedisServer.start(dir.resolve("guarded"), "--requirepass", "s3cret")) {
                String at = "127.0.0.1:" + guarded.port();
                RangeStore s = open("redis://:s3cret@" + at, "?prefix=" + freshPrefix());
                s.bind(KEY, V1);
                assertThat(s.write(KEY, V1, 0, content(V1, 0, 100))).as("write through redis://:PASSWORD@%s", at)
                        .isTrue();
                assertThat(read(s, KEY, 0, 100)).as("read through redis://:PASSWORD@%s", at)
                        .isEqualTo(content(V1, 0, 100).array());
                s.close();
            }
        }

        @Test
        void rejectsWhatIsNotARedisUri() {
            assertThatThrownBy(() -> provider().open(StoreOptions.parse("redis:/tmp/cache.db")))
                    .as("a file path as the redis location").isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("/tmp/cache.db").hasMessageContaining("redis://");
            assertThatThrownBy(() -> provider().open(StoreOptions.parse("redis")))
                    .as("no location").isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Redis URI");
            assertThatThrownBy(() -> provider().open(StoreOptions.parse("redis:redis://127.0.0.1:1?ttl=5")))
                    .as("an unknown parameter").isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
            assertThatThrownBy(() -> provider().open(StoreOptions.parse("redis:redis://127.0.0.1:1?prefix=a{b}")))
                    .as("a prefix with braces").isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a{b}");
        }
    }

    /** Two stores on one Redis stand for two processes: each has its own connection and memory. */
    @Nested
    class AcrossProcesses {

        @Test
        void bytesWrittenByOneAreReadByTheOther() throws IOException {
            String prefix = freshPrefix();
            RangeStore a = open(server.uri(), "?prefix=" + prefix);
            RangeStore b = open(server.uri(), "?prefix=" + prefix);
            a.bind(KEY, V1);
            assertThat(a.write(KEY, V1, 1000, content(V1, 1000, 3 << 20))).as("a: write of 3 MiB").isTrue();
            assertThat(b.version(KEY)).as("b: version bound by a").contains(V1);
            assertThat(b.ranges(KEY)).as("b: ranges written by a").isEqualTo(RangeSet.of(Range.of(1000, 1000 + (3 << 20))));
            assertThat(read(b, KEY, 1000, 3 << 20)).as("b: the 3 MiB a wrote, across pieces")
                    .isEqualTo(content(V1, 1000, 3 << 20).array());
        }

        @Test
        void bindingAnotherVersionDropsTheOthersBytesAndRefusesItsStaleWrites() throws IOException {
            String prefix = freshPrefix();
            RangeStore a = open(server.uri(), "?prefix=" + prefix);
            RangeStore b = open(server.uri(), "?prefix=" + prefix);
            a.bind(KEY, V1);
            a.write(KEY, V1, 0, content(V1, 0, 4096));
            assertThat(b.bind(KEY, V2)).as("b: bind of v2 over a's v1").isTrue();
            assertThat(a.ranges(KEY)).as("a (expects v1): ranges once b bound v2").isEqualTo(RangeSet.EMPTY);
            assertThat(read(a, KEY, 0, 4096)).as("a (expects v1): read once b bound v2").isEmpty();
            assertThat(a.write(KEY, V1, 8192, content(V1, 8192, 100))).as("a: stale write tagged v1").isFalse();
            assertThat(b.ranges(KEY)).as("b: ranges after a's stale write").isEqualTo(RangeSet.EMPTY);
            b.write(KEY, V2, 0, content(V2, 0, 100));
            assertClaimsReadable(b, KEY, V2, "b after writing v2");
        }

        @Test
        void maxBytesHoldsOverAllStoresSharingThePrefix() throws IOException {
            String prefix = freshPrefix();
            long limit = 256 * 1024;
            RangeStore a = open(server.uri(), "?maxBytes=" + limit + "&prefix=" + prefix);
            RangeStore b = open(server.uri(), "?maxBytes=" + limit + "&prefix=" + prefix);
            List<String> keys = List.of("http://127.0.0.1/a", "http://127.0.0.1/b", "http://127.0.0.1/c");
            for (String k : keys) {
                a.bind(k, V1);
            }
            for (int i = 0; i < 60; i++) {
                RangeStore s = i % 2 == 0 ? a : b;
                String k = keys.get(i % keys.size());
                long position = (i * 7919L % 97) * 16 * 1024;
                assertThat(s.write(k, V1, position, content(V1, position, 20_000))).as("write %d to %s", i, k).isTrue();
                long held = 0;
                for (String each : keys) {
                    held += assertClaimsReadable(i % 2 == 0 ? b : a, each, V1, "after write " + i);
                }
                assertThat(held).as("bytes held over all keys after write %d, limit %d", i, limit)
                        .isLessThanOrEqualTo(limit);
            }
        }
    }

    @Nested
    class RedisEvicting {

        @Test
        void aPieceWhoseBytesVanishedIsNeverServedAndItsIndexEntryIsRepaired() throws Exception {
            String prefix = freshPrefix();
            RangeStore s = open(server.uri(), "?prefix=" + prefix);
            s.bind(KEY, V1);
            int piece = 64 * 1024;
            for (int i = 0; i < 8; i++) {
                s.write(KEY, V1, (long) i * piece, content(V1, (long) i * piece, piece));
            }
            // What Redis's eviction does to the store: piece keys vanish, nothing else is told.
            List<String> pieces = List.of(server.cli("--scan", "--pattern", prefix + ":*:p:*").split("\\s+"));
            assertThat(pieces).as("piece keys of 8 writes").hasSize(8);
            for (String k : pieces) {
                if (k.endsWith(":" + 2 * piece + ":" + piece) || k.endsWith(":" + 5 * piece + ":" + piece)) {
                    server.cli("del", k);
                }
            }
            assertThat(read(s, KEY, 0, 8 * piece)).as("read across the first vanished piece")
                    .isEqualTo(content(V1, 0, 2 * piece).array());
            assertThat(read(s, KEY, 4L * piece, 4 * piece)).as("read across the second vanished piece")
                    .isEqualTo(content(V1, 4L * piece, piece).array());
            assertThat(s.ranges(KEY)).as("ranges() once the reads repaired the index").isEqualTo(RangeSet.of(
                    Range.of(0, 2L * piece), Range.of(3L * piece, 5L * piece), Range.of(6L * piece, 8L * piece)));
        }

        @Test
        void underRedisMaxmemoryEveryServedByteIsExact() throws Exception {
            try (RedisServer small = RedisServer.start(dir.resolve("small"), "--maxmemory", "8mb",
                    "--maxmemory-policy", "allkeys-lru")) {
                RangeStore s = open(small.uri(), "?prefix=" + freshPrefix());
                int piece = 256 * 1024;
                long served = 0;
                for (int round = 0; round < 3; round++) {
                    s.bind(KEY, V1);
                    for (int i = 0; i < 48; i++) { // 12 MiB into 8 MiB
                        s.write(KEY, V1, (long) i * piece, content(V1, (long) i * piece, piece));
                    }
                    for (int i = 0; i < 48; i++) {
                        byte[] got = read(s, KEY, (long) i * piece, piece);
                        assertThat(got).as("bytes served at piece %d, round %d, Redis evicting under 8 MiB", i, round)
                                .isEqualTo(content(V1, (long) i * piece, got.length).array());
                        served += got.length;
                    }
                    assertClaimsReadable(s, KEY, V1, "round " + round + " after the reads");
                }
                assertThat(served).as("bytes served from a Redis that evicts").isPositive();
                s.close();
            }
        }
    }

    @Nested
    class Outage {

        @Test
        void anOutageIsNotAnErrorAndTheStoreIsUsedAgainAfterIt() throws Exception {
            try (RedisServer flaky = RedisServer.start(dir.resolve("flaky"))) {
                RangeStore s = open(flaky.uri(), "?prefix=" + freshPrefix());
                s.bind(KEY, V1);
                s.write(KEY, V1, 0, content(V1, 0, 1000));
                flaky.kill();
                assertThat(s.ranges(KEY)).as("ranges while Redis is down").isEqualTo(RangeSet.EMPTY);
                assertThat(read(s, KEY, 0, 1000)).as("read while Redis is down").isEmpty();
                assertThat(s.write(KEY, V1, 0, content(V1, 0, 1000))).as("write while Redis is down").isFalse();
                assertThat(s.version(KEY)).as("version while Redis is down").isEmpty();
                flaky.start();
                // The store reconnects by itself; each attempt is a real write, bounded by the test timeout.
                while (!s.write(KEY, V1, 0, content(V1, 0, 1000))) {
                    Thread.onSpinWait();
                }
                assertThat(read(s, KEY, 0, 1000)).as("read once Redis is back (empty, restarted)")
                        .isEqualTo(content(V1, 0, 1000).array());
                s.close(); // before the server stops, so the client does not try to reconnect
            }
        }

        @Test
        void aStoreOpenedWhileRedisIsDownConnectsWhenItComesUp() throws Exception {
            RedisServer later = RedisServer.start(dir.resolve("later"));
            later.kill();
            try (later) {
                RangeStore s = open(later.uri(), "?prefix=" + freshPrefix());
                assertThat(s.version(KEY)).as("version with Redis never reached").isEmpty();
                s.bind(KEY, V1);
                later.start();
                while (!s.write(KEY, V1, 10, content(V1, 10, 10))) {
                    Thread.onSpinWait();
                }
                assertThat(s.ranges(KEY)).as("ranges once Redis came up").isEqualTo(RangeSet.of(Range.of(10, 20)));
                s.close();
            }
        }
    }

    @Nested
    class Cluster {

        @Test
        void everyScriptRunsInOneSlotOfAThreeNodeCluster() throws Exception {
            try (RedisCluster cluster = RedisCluster.start(dir.resolve("cluster"))) {
                String prefix = freshPrefix();
                RangeStore a = open(cluster.uri(), "?maxBytes=200k&prefix=" + prefix);
                RangeStore b = open(cluster.nodes().get(2).uri(), "?maxBytes=200k&prefix=" + prefix);
                List<String> keys = new ArrayList<>();
                for (int i = 0; i < 12; i++) { // spread over the three nodes' slots
                    keys.add("http://127.0.0.1/file-" + i);
                }
                for (String k : keys) {
                    a.bind(k, V1);
                    assertThat(a.write(k, V1, 0, content(V1, 0, 50_000))).as("cluster write to %s", k).isTrue();
                    assertThat(read(b, k, 0, 50_000)).as("cluster read of %s through another node", k)
                            .isEqualTo(content(V1, 0, 50_000).array());
                }
                long held = 0;
                for (String k : keys) {
                    held += assertClaimsReadable(b, k, V1, "cluster, " + k);
                }
                assertThat(held).as("bytes held in the cluster with maxBytes=200k").isPositive()
                        .isLessThanOrEqualTo(200 * 1024);
                assertThat(b.bind(keys.get(11), V2)).as("cluster bind of another version").isTrue();
                assertThat(a.ranges(keys.get(11))).as("cluster ranges of the old version").isEqualTo(RangeSet.EMPTY);
                int nodesWithKeys = 0;
                for (RedisServer node : cluster.nodes()) {
                    if (!node.cli("dbsize").trim().equals("0")) {
                        nodesWithKeys++;
                    }
                }
                assertThat(nodesWithKeys).as("cluster nodes holding the store's keys").isGreaterThan(1);
                a.close();
                b.close();
            }
        }
    }
}
