package io.rangestreams.storage.memory;

import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeStoreProvider;
import io.rangestreams.spi.StoreOptions;

/** Provides the {@code memory} store: spec {@code memory} or {@code memory?maxBytes=256m}. */
public final class MemoryRangeStoreProvider implements RangeStoreProvider {

    /** Required by {@link java.util.ServiceLoader}. */
    public MemoryRangeStoreProvider() {}

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public RangeStore open(StoreOptions options) {
        if (options.location().isPresent()) {
            throw new IllegalArgumentException("store 'memory' takes no location, got '" + options.location().get()
                    + "'; use memory?maxBytes=SIZE");
        }
        options.requireOnly("maxBytes");
        return new MemoryRangeStore(options.maxBytes().orElse(Long.MAX_VALUE));
    }
}
