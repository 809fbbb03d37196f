package com.example.certify;

import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeStoreProvider;
import io.rangestreams.spi.StoreOptions;

/** Makes {@link ArrayRangeStore} findable as store {@code array} (TCK rule S15). */
public final class ArrayRangeStoreProvider implements RangeStoreProvider {

    /** Required by {@link java.util.ServiceLoader}. */
    public ArrayRangeStoreProvider() {}

    @Override
    public String name() {
        return "array";
    }

    @Override
    public RangeStore open(StoreOptions options) {
        options.requireOnly();
        return new ArrayRangeStore();
    }
}
