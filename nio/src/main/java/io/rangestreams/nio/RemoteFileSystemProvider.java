package io.rangestreams.nio;

import io.rangestreams.RangeClient;
import io.rangestreams.spi.RangeStoreProvider;
import io.rangestreams.spi.RangeTransportProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.spi.FileSystemProvider;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Read-only {@code java.nio.file} access to {@code http}/{@code https} resources, backed by a
 * {@link RangeClient}. There is one file system per origin ({@code scheme://host:port}), made on first
 * use by {@link java.nio.file.Path#of(URI)}; each keeps one {@code RangeStream} per path, so the length
 * learned once serves {@code Files.size}, attributes and every channel.
 *
 * <p>The client: {@code FileSystems.newFileSystem(uri, env)} takes {@code env} keys {@code client} (a
 * {@link RangeClient}, which the file system then owns), or {@code transport} and {@code store} (names
 * or a store spec). Otherwise the client is built the usual way: system properties
 * {@code rangestreams.transport} / {@code rangestreams.store}, environment variables
 * {@code RANGESTREAMS_TRANSPORT} / {@code RANGESTREAMS_STORE}, else the only transport and store on
 * the class path. When several transports are present and none is named, {@code jdk} is used; when
 * several stores are (memory and mapdb, say), {@code memory}, as the command line does: a persistent
 * store is chosen by naming it.
 *
 * <p>Thread-safe.
 */
public abstract class RemoteFileSystemProvider extends FileSystemProvider {

    private final String scheme;
    private final Map<String, HttpFileSystem> systems = new ConcurrentHashMap<>();

    RemoteFileSystemProvider(String scheme) {
        this.scheme = scheme;
    }

    @Override
    public final String getScheme() {
        return scheme;
    }

    @Override
    public final FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        String origin = origin(uri);
        synchronized (systems) {
            if (systems.containsKey(origin)) {
                throw new FileSystemAlreadyExistsException(origin);
            }
            HttpFileSystem fs = new HttpFileSystem(this, origin, clientFor(env));
            systems.put(origin, fs);
            return fs;
        }
    }

    @Override
    public final FileSystem getFileSystem(URI uri) {
        HttpFileSystem fs = systems.get(origin(uri));
        if (fs == null) {
            throw new FileSystemNotFoundException(origin(uri));
        }
        return fs;
    }

    @Override
    public final Path getPath(URI uri) {
        String origin = origin(uri);
        HttpFileSystem fs;
        synchronized (systems) {
            fs = systems.computeIfAbsent(origin, o -> new HttpFileSystem(this, o, clientFor(Map.of())));
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return fs.getPath(path + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : ""));
    }

    void closed(HttpFileSystem fs) {
        systems.remove(fs.origin(), fs);
    }

    private String origin(URI uri) {
        Objects.requireNonNull(uri, "uri");
        if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("URI " + uri + " does not have scheme " + scheme);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("URI " + uri + " has no host");
        }
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    }

    private static RangeClient clientFor(Map<String, ?> env) {
        Object given = env.get("client");
        if (given instanceof RangeClient client) {
            return client;
        }
        if (given != null) {
            throw new IllegalArgumentException("env key 'client' must be a RangeClient, was " + given.getClass().getName());
        }
        RangeClient.Builder builder = RangeClient.builder();
        if (env.get("transport") != null) {
            builder.transport(env.get("transport").toString());
        } else {
            defaultWhenSeveral("rangestreams.transport", "RANGESTREAMS_TRANSPORT", "jdk",
                    names(RangeTransportProvider.class, RangeTransportProvider::name)).ifPresent(builder::transport);
        }
        if (env.get("store") != null) {
            builder.store(env.get("store").toString());
        } else {
            defaultWhenSeveral("rangestreams.store", "RANGESTREAMS_STORE", "memory",
                    names(RangeStoreProvider.class, RangeStoreProvider::name)).ifPresent(builder::store);
        }
        return builder.build();
    }

    /**
     * The provider to name when several are on the class path and neither the system property nor the
     * environment variable names one: {@code fallback} if present (as the command line does), since a
     * {@code Path.of(URI)} caller has no other way to choose.
     */
    private static Optional<String> defaultWhenSeveral(String property, String variable, String fallback,
            Set<String> present) {
        boolean named = !isBlank(System.getProperty(property)) || !isBlank(System.getenv(variable));
        return !named && present.size() > 1 && present.contains(fallback) ? Optional.of(fallback) : Optional.empty();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static <P> Set<String> names(Class<P> type, Function<P, String> name) {
        Set<String> names = new TreeSet<>();
        ServiceLoader.load(type, RemoteFileSystemProvider.class.getClassLoader()).forEach(p -> names.add(name.apply(p)));
        return names;
    }

    private static HttpPath toHttpPath(Path path) {
        if (path instanceof HttpPath p) {
            return p;
        }
        throw new ProviderMismatchException("not an http(s) path: " + path);
    }

    @Override
    public final SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
            FileAttribute<?>... attrs) throws IOException {
        for (OpenOption o : options) {
            if (o != StandardOpenOption.READ && o != LinkOption.NOFOLLOW_LINKS) {
                throw new ReadOnlyFileSystemException();
            }
        }
        HttpPath p = toHttpPath(path);
        p.fs().attributes(p); // fails with NoSuchFileException before a channel is handed out
        return p.fs().stream(p).channel();
    }

    @Override
    public final DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) {
        throw new UnsupportedOperationException("http(s) servers cannot list directories: " + dir);
    }

    @Override
    public final void createDirectory(Path dir, FileAttribute<?>... attrs) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public final void delete(Path path) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public final void copy(Path source, Path target, CopyOption... options) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public final void move(Path source, Path target, CopyOption... options) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public final boolean isSameFile(Path path, Path path2) {
        return path.equals(path2);
    }

    @Override
    public final boolean isHidden(Path path) {
        return false;
    }

    @Override
    public final FileStore getFileStore(Path path) {
        throw new UnsupportedOperationException("http(s) paths have no file store: " + path);
    }

    @Override
    public final void checkAccess(Path path, AccessMode... modes) throws IOException {
        HttpPath p = toHttpPath(path);
        for (AccessMode m : modes) {
            if (m != AccessMode.READ) {
                throw new AccessDeniedException(p.toString(), null, "http(s) paths are read-only");
            }
        }
        p.fs().attributes(p);
    }

    @Override
    @SuppressWarnings("unchecked")
    public final <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        HttpPath p = toHttpPath(path);
        if (type != BasicFileAttributeView.class) {
            return null;
        }
        return (V) new BasicFileAttributeView() {
            @Override
            public String name() {
                return "basic";
            }

            @Override
            public BasicFileAttributes readAttributes() throws IOException {
                return p.fs().attributes(p);
            }

            @Override
            public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime) {
                throw new ReadOnlyFileSystemException();
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public final <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        if (type != BasicFileAttributes.class) {
            throw new UnsupportedOperationException("only BasicFileAttributes are available for http(s) paths, not "
                    + type.getName());
        }
        HttpPath p = toHttpPath(path);
        return (A) p.fs().attributes(p);
    }

    @Override
    public final Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
            throws IOException {
        String names = attributes.startsWith("basic:") ? attributes.substring(6) : attributes;
        if (names.contains(":")) {
            throw new UnsupportedOperationException("only basic attributes are available for http(s) paths, not "
                    + attributes);
        }
        BasicFileAttributes a = readAttributes(path, BasicFileAttributes.class);
        Map<String, Object> all = new HashMap<>();
        all.put("size", a.size());
        all.put("lastModifiedTime", a.lastModifiedTime());
        all.put("lastAccessTime", a.lastAccessTime());
        all.put("creationTime", a.creationTime());
        all.put("isRegularFile", a.isRegularFile());
        all.put("isDirectory", a.isDirectory());
        all.put("isSymbolicLink", a.isSymbolicLink());
        all.put("isOther", a.isOther());
        all.put("fileKey", a.fileKey());
        if (names.equals("*")) {
            return all;
        }
        Map<String, Object> out = new HashMap<>();
        for (String n : names.split(",")) {
            if (!all.containsKey(n)) {
                throw new IllegalArgumentException("unknown basic attribute '" + n + "'");
            }
            out.put(n, all.get(n));
        }
        return out;
    }

    @Override
    public final void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
        throw new ReadOnlyFileSystemException();
    }
}
