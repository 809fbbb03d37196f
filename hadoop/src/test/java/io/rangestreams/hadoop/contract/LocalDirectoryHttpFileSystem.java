package io.rangestreams.hadoop.contract;

import io.rangestreams.hadoop.RangeStreamsFileSystem;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.EnumSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The file system the contract tests see: an {@code http} file system over a local directory that a
 * loopback server serves. What writes (create, mkdirs, delete, rename, setTimes) goes to the directory
 * through Hadoop's local file system, as the contract tests must create their files somehow; what
 * reads ({@code open}, and {@code getFileStatus} of anything but a directory) goes over HTTP through
 * {@link RangeStreamsFileSystem}, which is what the tests test. Listing goes over HTTP too, so the tests
 * that list a directory fail as they must (plain HTTP cannot list) and are skipped with that reason.
 */
final class LocalDirectoryHttpFileSystem extends FileSystem {

    private final URI uri;
    private final Path root;
    private final RawLocalFileSystem local;
    private final RangeStreamsFileSystem http;

    LocalDirectoryHttpFileSystem(URI uri, java.nio.file.Path directory, Configuration conf) throws IOException {
        this.uri = uri;
        this.root = new Path(directory.toUri());
        setConf(conf);
        this.local = new RawLocalFileSystem();
        local.initialize(URI.create("file:///"), conf);
        this.http = new RangeStreamsFileSystem();
        http.initialize(uri, conf);
        initialize(uri, conf);
    }

    /** The file system under test. */
    RangeStreamsFileSystem http() {
        return http;
    }

    @Override
    public String getScheme() {
        return uri.getScheme();
    }

    @Override
    public URI getUri() {
        return uri;
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        return http.open(f, bufferSize);
    }

    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
        Path q = makeQualified(f);
        try {
            FileStatus onDisk = local.getFileStatus(toLocal(q));
            if (onDisk.isDirectory()) {
                return toHttp(onDisk);
            }
        } catch (FileNotFoundException e) {
            // Asked over HTTP below, so the file system under test reports the missing file.
        }
        return http.getFileStatus(q);
    }

    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
        return http.listStatus(f);
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
            short replication, long blockSize, Progressable progress) throws IOException {
        return local.create(toLocal(makeQualified(f)), permission, overwrite, bufferSize, replication, blockSize,
                progress);
    }

    @Override
    public FSDataOutputStream createNonRecursive(Path f, FsPermission permission, EnumSet<CreateFlag> flags,
            int bufferSize, short replication, long blockSize, Progressable progress) throws IOException {
        return local.createNonRecursive(toLocal(makeQualified(f)), permission, flags, bufferSize, replication,
                blockSize, progress);
    }

    @Override
    public FSDataOutputStream append(Path f, int bufferSize, Progressable progress) throws IOException {
        return local.append(toLocal(makeQualified(f)), bufferSize, progress);
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        return local.rename(toLocal(makeQualified(src)), toLocal(makeQualified(dst)));
    }

    @Override
    public boolean delete(Path f, boolean recursive) throws IOException {
        return local.delete(toLocal(makeQualified(f)), recursive);
    }

    @Override
    public boolean mkdirs(Path f, FsPermission permission) throws IOException {
        return local.mkdirs(toLocal(makeQualified(f)), permission);
    }

    @Override
    public void setTimes(Path p, long mtime, long atime) throws IOException {
        local.setTimes(toLocal(makeQualified(p)), mtime, atime);
    }

    @Override
    public void setWorkingDirectory(Path dir) {
        // Fixed at the root: the tests use absolute paths.
    }

    @Override
    public Path getWorkingDirectory() {
        return new Path(uri.toString() + "/");
    }

    @Override
    public void close() throws IOException {
        try {
            http.close();
        } finally {
            local.close();
            super.close();
        }
    }

    private Path toLocal(Path qualified) {
        String p = qualified.toUri().getPath();
        return p.equals("/") ? root : new Path(root, p.substring(1));
    }

    private FileStatus toHttp(FileStatus onDisk) throws IOException {
        String rootPath = root.toUri().getPath();
        String p = onDisk.getPath().toUri().getPath();
        String rel = p.length() <= rootPath.length() ? "/" : p.substring(rootPath.endsWith("/")
                ? rootPath.length() - 1 : rootPath.length());
        FileStatus s = new FileStatus(onDisk);
        s.setPath(makeQualified(new Path(rel)));
        return s;
    }
}
