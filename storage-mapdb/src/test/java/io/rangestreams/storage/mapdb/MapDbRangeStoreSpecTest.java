package io.rangestreams.storage.mapdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeStore.Capability;
import io.rangestreams.spi.RangeStoreProvider;
import io.rangestreams.spi.StoreOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.mapdb.DB;
import org.mapdb.DBMaker;

/** Opening a MapDB store from its spec, or over a caller's own database. */
class MapDbRangeStoreSpecTest extends MapDbRangeStoreFixture {

    @Nested
    class Spec {

        @Test
        void providerIsFoundByNameAndOpensTheFileInTheSpec() throws IOException {
            Path file = dir.resolve("a/b/cache.db");
            RangeStoreProvider provider = ServiceLoader.load(RangeStoreProvider.class).stream()
                    .map(ServiceLoader.Provider::get)
                    .filter(p -> p.name().equals("mapdb"))
                    .findFirst()
                    .orElseThrow();
            try (RangeStore store = provider.open(StoreOptions.parse("mapdb:" + file + "?maxBytes=10g"))) {
                assertThat(store.name()).as("name of the store opened from spec mapdb:%s", file).isEqualTo("mapdb");
                assertThat(store.capabilities()).as("capabilities of mapdb:%s?maxBytes=10g", file)
                        .containsExactlyInAnyOrder(Capability.PERSISTENT, Capability.BOUNDED);
                assertThat(((MapDbRangeStore) store).maxBytes()).as("maxBytes of mapdb:%s?maxBytes=10g", file)
                        .isEqualTo(10L << 30);
            }
            assertThat(file).as("store file of spec mapdb:%s, parent directories created", file).exists();
        }

        @Test
        void withoutMaxBytesTheStoreIsPersistentAndUnbounded() throws IOException {
            Path file = dir.resolve("cache.db");
            try (RangeStore store = new MapDbRangeStoreProvider().open(StoreOptions.parse("mapdb:" + file))) {
                assertThat(store.capabilities()).as("capabilities of mapdb:%s", file)
                        .containsExactly(Capability.PERSISTENT);
            }
        }

        @Test
        void aMissingLocationIsAClearError() {
            assertThatThrownBy(() -> new MapDbRangeStoreProvider().open(StoreOptions.parse("mapdb?maxBytes=1g")))
                    .as("spec mapdb?maxBytes=1g (no file)")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("needs the path of its file")
                    .hasMessageContaining("mapdb:/");
        }

        @Test
        void anUnknownParameterIsAClearError() {
            Path file = dir.resolve("cache.db");
            assertThatThrownBy(() -> new MapDbRangeStoreProvider().open(StoreOptions.parse("mapdb:" + file + "?size=1g")))
                    .as("spec mapdb:%s?size=1g", file)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'size'")
                    .hasMessageContaining("maxBytes");
            assertThat(file).as("file of a rejected spec").doesNotExist();
        }

        @Test
        void aDirectoryAsLocationIsAClearError() {
            assertThatThrownBy(() -> new MapDbRangeStoreProvider().open(StoreOptions.parse("mapdb:" + dir)))
                    .as("spec mapdb:%s (a directory)", dir)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is a directory")
                    .hasMessageContaining(dir.toString());
        }

        @Test
        void aCallersOwnDatabaseIsUsedAndLeftOpen() throws IOException {
            DB db = DBMaker.memoryDB().transactionEnable().make();
            try {
                try (MapDbRangeStore store = new MapDbRangeStore(db, dir.resolve("own.data"))) {
                    store.bind(KEY, V1);
                    write(store, KEY, 100, 5000);
                    assertThat(read(store, KEY, 100, 5000)).as("bytes read back from a store in the caller's memory DB")
                            .isEqualTo(expected(KEY, 100, 5000));
                    assertThat(store.capabilities()).as("capabilities of a store in an in-memory DB").isEmpty();
                }
                assertThat(db.isClosed()).as("caller's DB after the store is closed").isFalse();
                assertThat(db.exists("rangestreams.pieces")).as("index collection in the caller's DB").isTrue();
            } finally {
                db.close();
            }
        }
    }
}
