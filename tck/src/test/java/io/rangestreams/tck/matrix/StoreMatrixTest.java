package io.rangestreams.tck.matrix;

import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.StoreOptions;
import io.rangestreams.tck.RangeStoreContract;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The store contract over every store on the class path. */
@DisplayName("store contract")
@ParameterizedClass(name = "{0}")
@MethodSource("stores")
class StoreMatrixTest extends RangeStoreContract {

    @Parameter
    Backends.Store store;

    static List<Backends.Store> stores() {
        return Backends.stores();
    }

    @Override
    protected RangeStore newStore(Path dir) throws IOException {
        return store.open(dir);
    }

    @Override
    protected RangeStore newStore(Path dir, long maxBytes) throws IOException {
        return store.open(dir, maxBytes);
    }

    @Override
    protected StoreOptions storeOptions(Path dir) {
        return store.options(dir, Optional.empty());
    }
}
