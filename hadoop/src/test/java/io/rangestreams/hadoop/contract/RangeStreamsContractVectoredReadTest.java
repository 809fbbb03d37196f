package io.rangestreams.hadoop.contract;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractContractVectoredReadTest;
import org.apache.hadoop.fs.contract.AbstractFSContract;

/** Hadoop's {@code AbstractContractVectoredReadTest} against {@link io.rangestreams.hadoop.RangeStreamsFileSystem}. */
class RangeStreamsContractVectoredReadTest extends AbstractContractVectoredReadTest {
    RangeStreamsContractVectoredReadTest(String bufferType) {
        super(bufferType);
    }

    @Override
    protected AbstractFSContract createContract(Configuration conf) {
        return new RangeStreamsHttpContract(conf);
    }
}
