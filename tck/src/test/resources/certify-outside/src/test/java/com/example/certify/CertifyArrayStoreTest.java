package com.example.certify;

import io.rangestreams.spi.RangeStore;
import io.rangestreams.tck.RangeStoreContract;
import java.nio.file.Path;

class CertifyArrayStoreTest extends RangeStoreContract {
    @Override protected RangeStore newStore(Path dir) { return new ArrayRangeStore(); }
}
