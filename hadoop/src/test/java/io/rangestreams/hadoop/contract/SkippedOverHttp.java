package io.rangestreams.hadoop.contract;

import org.apache.hadoop.fs.contract.ContractTestUtils;

/** Why contract cases that cannot hold over plain HTTP are skipped; docs/hadoop.md lists them. */
final class SkippedOverHttp {

    static final String NO_LISTING = "plain HTTP cannot list a directory: RangeStreamsFileSystem says so with an"
            + " IOException; listing a file (which gives the file) is tested";
    static final String NO_DIRECTORIES = "HTTP has no directories: a server answers a directory's URL as it likes"
            + " (the test server with a listing page, which is a file to HTTP; nginx with 403 or 301), so opening"
            + " one cannot fail the way a file system's must";

    private SkippedOverHttp() {}

    /** Skips the running case with {@code reason}. */
    static void skip(String reason) {
        ContractTestUtils.skip(reason);
    }
}
