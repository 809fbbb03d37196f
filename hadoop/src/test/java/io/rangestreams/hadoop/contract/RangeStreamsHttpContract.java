package io.rangestreams.hadoop.contract;

import io.rangestreams.cli.StaticFileServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.contract.AbstractFSContract;

/**
 * The contract of {@link io.rangestreams.hadoop.RangeStreamsFileSystem} for Hadoop's contract tests:
 * options in {@code contract/rangestreams-http.xml}; each test gets a fresh directory under
 * {@code target/contract}, a loopback server (the command line's {@code serve}) over it, and a fresh
 * file system (so a fresh client and store).
 */
final class RangeStreamsHttpContract extends AbstractFSContract {

    private StaticFileServer server;
    private LocalDirectoryHttpFileSystem fs;

    RangeStreamsHttpContract(Configuration conf) {
        super(conf);
        addConfResource("contract/rangestreams-http.xml");
    }

    @Override
    public void init() throws IOException {
        super.init();
        Path base = Files.createDirectories(Path.of("target", "contract"));
        Path directory = Files.createTempDirectory(base.toAbsolutePath(), "served-");
        server = StaticFileServer.start(directory, 0);
        Configuration conf = new Configuration(getConf());
        conf.set("rangestreams.transport", "jdk");
        conf.set("rangestreams.store", "memory");
        fs = new LocalDirectoryHttpFileSystem(URI.create("http://127.0.0.1:" + server.port()), directory, conf);
    }

    @Override
    public void teardown() throws IOException {
        try {
            if (fs != null) {
                fs.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
            super.teardown();
        }
    }

    @Override
    public FileSystem getTestFileSystem() {
        return fs;
    }

    @Override
    public String getScheme() {
        return "http";
    }

    @Override
    public org.apache.hadoop.fs.Path getTestPath() {
        return fs.makeQualified(new org.apache.hadoop.fs.Path("/test"));
    }
}
