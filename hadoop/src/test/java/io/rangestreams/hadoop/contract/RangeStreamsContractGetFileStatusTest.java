package io.rangestreams.hadoop.contract;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractContractGetFileStatusTest;
import org.apache.hadoop.fs.contract.AbstractFSContract;
import org.junit.jupiter.api.Test;

/**
 * Hadoop's {@code AbstractContractGetFileStatusTest} against
 * {@link io.rangestreams.hadoop.RangeStreamsFileSystem}: the status of files, of the root and of missing
 * paths, and listing a file or a missing path; listing a directory is skipped.
 */
class RangeStreamsContractGetFileStatusTest extends AbstractContractGetFileStatusTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
        return new RangeStreamsHttpContract(conf);
    }

    @Test
    @Override
    public void testListStatusEmptyDirectory() {
        SkippedOverHttp.skip(SkippedOverHttp.NO_LISTING);
    }

    @Test
    @Override
    public void testListFilesEmptyDirectoryNonrecursive() {
        SkippedOverHttp.skip(SkippedOverHttp.NO_LISTING);
    }

    @Test
    @Override
    public void testListFilesEmptyDirectoryRecursive() {
        SkippedOverHttp.skip(SkippedOverHttp.NO_LISTING);
    }

    @Test
    @Override
    public void testListLocatedStatusEmptyDirectory() {
        SkippedOverHttp.skip(SkippedOverHttp.NO_LISTING);
    }

    @Test
    @Override
    public void testComplexDirActions() {
        SkippedOverHttp.skip(SkippedOverHttp.NO_LISTING);
    }

    @Test
    @Override
    public void testListStatusFiltering() {
        SkippedOverHttp.skip(SkippedOverHttp.NO_LISTING);
    }

    @Test
    @Override
    public void testListLocatedStatusFiltering() {
        SkippedOverHttp.skip(SkippedOverHttp.NO_LISTING);
    }
}
