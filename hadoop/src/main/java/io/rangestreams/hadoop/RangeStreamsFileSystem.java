package io.rangestreams.hadoop;

import io.rangestreams.HttpStatusException;
import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeNotSatisfiableException;
import io.rangestreams.RangeStream;
import io.rangestreams.ResourceInfo;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.AccessDeniedException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * A read-only Hadoop {@link FileSystem} for {@code http} and {@code https} URLs, on range-streams:
 * {@link #open} gives a seekable stream whose reads fetch only the bytes they touch, with HTTP range
 * requests, keeping them in the client's store. Turn it on in the Hadoop configuration:
 *
 * <pre>{@code
 * fs.http.impl  = io.rangestreams.hadoop.RangeStreamsFileSystem
 * fs.https.impl = io.rangestreams.hadoop.RangeStreamsFileSystem
 * }</pre>
 *
 * <p>Transport, store and tuning come from the {@code rangestreams.*} keys listed in
 * {@link RangeStreamsConfiguration}. Each instance (Hadoop caches one per scheme, host and port) owns
 * one {@link RangeClient}, closed with it.
 *
 * <p>{@link #getFileStatus} learns the length and the modification time ({@code Last-Modified}) with
 * one request for the file's last block (a suffix range, no {@code HEAD}), and keeps that stream for
 * the {@link #open} that usually follows, so a columnar footer costs that one request. HTTP has no
 * directories: the root is the only directory, and listing it (or any other path that is not a file)
 * fails with an {@link IOException} saying so; listing a file gives that file, as Hadoop specifies.
 * Every operation that would write fails with an {@link IOException} naming it.
 *
 * <p>Thread-safe, as Hadoop file systems are.
 */
public final class RangeStreamsFileSystem extends FileSystem {

    /** How many streams opened by {@code getFileStatus} are kept for a following {@code open}. */
    private static final int PROBED_STREAMS = 64;
    private static final Path ROOT = new Path("/");

    private URI uri;
    private RangeClient client;
    private ProbedStreams probed;
    private ExecutorService vectoredExecutor;
    private long fsBlockSize;
    private long readBlockSize;
    private Path workingDirectory;

    /** A file system to be set up by {@link #initialize}, as Hadoop does. */
    public RangeStreamsFileSystem() {}

    /**
     * Sets up the file system for the scheme and authority of {@code name}, and creates its client from
     * the {@code rangestreams.*} keys of {@code conf}.
     *
     * @throws IllegalArgumentException if the scheme is not http or https, or a setting is unusable
     */
    @Override
    public void initialize(URI name, Configuration conf) throws IOException {
        super.initialize(name, conf);
        String scheme = name.getScheme() == null ? "" : name.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("RangeStreamsFileSystem serves http and https, not " + name);
        }
        if (name.getAuthority() == null) {
            throw new IllegalArgumentException("no host in " + name);
        }
        setConf(conf);
        this.uri = URI.create(scheme + "://" + name.getAuthority());
        this.fsBlockSize = RangeStreamsConfiguration.fsBlockSize(conf);
        this.readBlockSize = RangeStreamsConfiguration.readBlockSize(conf);
        this.client = RangeStreamsConfiguration.builder(conf).build();
        this.probed = new ProbedStreams(PROBED_STREAMS);
        AtomicInteger threads = new AtomicInteger();
        this.vectoredExecutor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "range-streams-hadoop-vectored-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.workingDirectory = makeQualified(ROOT);
    }

    /** {@code http} or {@code https}, as initialised (http before). */
    @Override
    public String getScheme() {
        return uri == null ? "http" : uri.getScheme();
    }

    @Override
    public URI getUri() {
        return uri;
    }

    @Override
    protected int getDefaultPort() {
        return "https".equals(getScheme()) ? 443 : 80;
    }

    /**
     * Opens the file for reading. Unless a {@link #getFileStatus} just probed it, this sends one request,
     * for the file's last block: it tells whether the file exists and its length.
     *
     * @throws FileNotFoundException if the server answers 404 or 410, or the path is the root
     */
    @Override
    public FSDataInputStream open(Path path, int bufferSize) throws IOException {
        Path qualified = makeQualified(path);
        if (isRoot(qualified)) {
            throw new FileNotFoundException(qualified + " is a directory (the root), not a file");
        }
        URI target = httpUri(qualified);
        RangeStream stream = probed.take(target).orElse(null);
        if (stream == null) {
            stream = probe(target, qualified);
        }
        try {
            return new FSDataInputStream(new RangeStreamsInputStream(stream, stream.length(), statistics,
                    vectoredExecutor, readBlockSize));
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    /**
     * The status of a file, from one request for its last block (kept for a following {@link #open}):
     * its length, and its modification time from {@code Last-Modified} (0 when the server sends none).
     * The root is a directory, without a request.
     *
     * @throws FileNotFoundException if the server answers 404 or 410
     */
    @Override
    public FileStatus getFileStatus(Path path) throws IOException {
        Path qualified = makeQualified(path);
        if (isRoot(qualified)) {
            return new FileStatus(0, true, 1, 0, 0, qualified);
        }
        RangeStream stream = probe(httpUri(qualified), qualified);
        FileStatus status;
        try {
            ResourceInfo info = stream.resource();
            status = new FileStatus(info.length(), false, 1, fsBlockSize, modificationTime(info), qualified);
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw e;
        }
        probed.put(stream);
        return status;
    }

    /**
     * A file lists as itself; anything else cannot be listed, as plain HTTP has no directory listing.
     *
     * @throws IOException naming the path, for the root or any path that is not a file
     */
    @Override
    public FileStatus[] listStatus(Path path) throws IOException {
        Path qualified = makeQualified(path);
        if (!isRoot(qualified)) {
            FileStatus status = getFileStatus(qualified);
            if (status.isFile()) {
                return new FileStatus[] {status};
            }
        }
        throw new IOException("cannot list " + qualified + ": plain HTTP has no directory listing;"
                + " name each file by its full URL");
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
            short replication, long blockSize, Progressable progress) throws IOException {
        throw readOnly("create", f);
    }

    @Override
    public FSDataOutputStream append(Path f, int bufferSize, Progressable progress) throws IOException {
        throw readOnly("append to", f);
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        throw readOnly("rename", src);
    }

    @Override
    public boolean delete(Path f, boolean recursive) throws IOException {
        throw readOnly("delete", f);
    }

    @Override
    public boolean mkdirs(Path f, FsPermission permission) throws IOException {
        throw readOnly("make directory", f);
    }

    @Override
    public boolean truncate(Path f, long newLength) throws IOException {
        throw readOnly("truncate", f);
    }

    @Override
    public void concat(Path trg, Path[] psrcs) throws IOException {
        throw readOnly("concatenate into", trg);
    }

    @Override
    public void setTimes(Path p, long mtime, long atime) throws IOException {
        throw readOnly("set times of", p);
    }

    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
        throw readOnly("set permission of", p);
    }

    @Override
    public void setOwner(Path p, String username, String groupname) throws IOException {
        throw readOnly("set owner of", p);
    }

    @Override
    public boolean setReplication(Path src, short replication) throws IOException {
        throw readOnly("set replication of", src);
    }

    @Override
    public void setWorkingDirectory(Path dir) {
        workingDirectory = makeQualified(dir);
    }

    @Override
    public Path getWorkingDirectory() {
        return workingDirectory;
    }

    /** Closes kept streams, then the client (its transport and store); idempotent. */
    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            if (probed != null) {
                probed.close();
                vectoredExecutor.shutdownNow();
                client.close();
            }
        }
    }

    @Override
    public String toString() {
        return "RangeStreamsFileSystem{" + uri + ", transport=" + (client == null ? "-" : client.transport().name())
                + ", store=" + (client == null ? "-" : client.store().name()) + "}";
    }

    /** Opens a stream and fetches the file's last block, learning the length; the caller closes it. */
    private RangeStream probe(URI target, Path path) throws IOException {
        RangeStream stream = client.open(target);
        try {
            try {
                // A suffix range is one request that tells the length and holds the footer of columnar files.
                stream.fetch(Range.suffix(1));
            } catch (RangeNotSatisfiableException e) {
                // An empty file has no last byte: its length comes from the probe that needs no range.
                stream.length();
            }
            return stream;
        } catch (HttpStatusException e) {
            stream.close();
            throw translate(e, path);
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    private static IOException translate(HttpStatusException e, Path path) {
        IOException translated = switch (e.status()) {
            case 404, 410 -> new FileNotFoundException(path + ": no such file (HTTP " + e.status() + ")");
            case 401, 403 -> new AccessDeniedException(path.toString(), null, "HTTP " + e.status());
            default -> null;
        };
        if (translated == null) {
            return e;
        }
        translated.initCause(e);
        return translated;
    }

    private static IOException readOnly(String operation, Path path) {
        return new IOException("cannot " + operation + " " + path + ": RangeStreamsFileSystem is read-only"
                + " (HTTP range requests can only read)");
    }

    private static boolean isRoot(Path qualified) {
        return qualified.isRoot();
    }

    private URI httpUri(Path qualified) throws IOException {
        URI u = qualified.toUri();
        try {
            return new URI(uri.getScheme(), uri.getAuthority(), u.getPath(), u.getQuery(), null);
        } catch (URISyntaxException e) {
            throw new IOException("cannot make an http URI of " + qualified + ": " + e.getMessage(), e);
        }
    }

    private static long modificationTime(ResourceInfo info) {
        return info.lastModified().flatMap(value -> {
            try {
                return Optional.of(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant().toEpochMilli());
            } catch (DateTimeParseException e) {
                return Optional.<Long>empty();
            }
        }).orElse(0L);
    }
}
