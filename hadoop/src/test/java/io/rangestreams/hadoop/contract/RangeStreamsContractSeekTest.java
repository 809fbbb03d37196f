package io.rangestreams.hadoop.contract;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractContractSeekTest;
import org.apache.hadoop.fs.contract.AbstractFSContract;

/** Hadoop's {@code AbstractContractSeekTest} against {@link io.rangestreams.hadoop.RangeStreamsFileSystem}. */
class RangeStreamsContractSeekTest extends AbstractContractSeekTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
        return new RangeStreamsHttpContract(conf);
    }
}
