package io.rangestreams.storage.mapdb;

import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeStoreProvider;
import io.rangestreams.spi.StoreOptions;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Provides the {@code mapdb} store: spec {@code mapdb:/path/to/cache.db} or
 * {@code mapdb:/path/to/cache.db?maxBytes=10g} ({@code ~/} is the user's home). The file and its
 * parent directories are created if missing.
 */
public final class MapDbRangeStoreProvider implements RangeStoreProvider {

    /** Required by {@link java.util.ServiceLoader}. */
    public MapDbRangeStoreProvider() {}

    @Override
    public String name() {
        return "mapdb";
    }

    /**
     * Opens the store file named by the spec's location.
     *
     * @throws IllegalArgumentException if the location is missing or a directory, or a parameter other
     *     than {@code maxBytes} is given
     * @throws IOException if the file is locked by another process or cannot be read as a store
     */
    @Override
    public RangeStore open(StoreOptions options) throws IOException {
        if (!options.name().equals(name())) {
            throw new IllegalArgumentException("store options are for '" + options.name() + "', not 'mapdb'");
        }
        Path file = options.location().orElseThrow(() -> new IllegalArgumentException(
                "store 'mapdb' needs the path of its file, e.g. mapdb:/var/cache/range-streams/cache.db?maxBytes=10g "
                        + "or mapdb:~/.cache/range-streams/cache.db"));
        options.requireOnly("maxBytes");
        return MapDbRangeStore.open(file, options.maxBytes().orElse(Long.MAX_VALUE));
    }
}
