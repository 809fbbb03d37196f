package io.rangestreams.tck.example;

import io.rangestreams.spi.RangeStore;
import io.rangestreams.storage.memory.MemoryRangeStore;
import io.rangestreams.tck.RangeStoreContract;
import java.nio.file.Path;

/** What a third party writes to certify a store; the second method is optional (it enables S8). */
class CertifyMyStoreTest extends RangeStoreContract {
    @Override
    protected RangeStore newStore(Path dir) {
        return new MemoryRangeStore();
    }

    @Override
    protected RangeStore newStore(Path dir, long maxBytes) {
        return new MemoryRangeStore(maxBytes);
    }
}
