package io.rangestreams.nio;

import io.rangestreams.HttpStatusException;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.ResourceInfo;
import java.io.IOException;
import java.net.URI;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The read-only file system of one origin. Keeps one {@link RangeStream} per path, so the length and
 * validators learned once serve every later call; closing the file system closes them and the client.
 *
 * <p>Thread-safe.
 */
public final class HttpFileSystem extends FileSystem {

    private final RemoteFileSystemProvider provider;
    private final String origin;
    private final RangeClient client;
    private final Map<String, RangeStream> streams = new ConcurrentHashMap<>();
    private volatile boolean open = true;

    HttpFileSystem(RemoteFileSystemProvider provider, String origin, RangeClient client) {
        this.provider = provider;
        this.origin = origin;
        this.client = client;
    }

    String origin() {
        return origin;
    }

    /** The client this file system reads with. */
    public RangeClient client() {
        return client;
    }

    RangeStream stream(HttpPath path) {
        if (!open) {
            throw new ClosedFileSystemException();
        }
        URI uri = path.toUri();
        return streams.computeIfAbsent(uri.toString(), u -> client.open(uri));
    }

    BasicFileAttributes attributes(HttpPath path) throws IOException {
        ResourceInfo info;
        try {
            info = stream(path).resource();
        } catch (HttpStatusException e) {
            if (e.status() == 404 || e.status() == 410) {
                NoSuchFileException missing = new NoSuchFileException(path.toString(), null, e.getMessage());
                missing.initCause(e);
                throw missing;
            }
            throw e;
        }
        FileTime modified = info.lastModified().flatMap(HttpFileSystem::parseHttpDate).orElse(FileTime.fromMillis(0));
        long size = info.length();
        String key = info.etag().orElse(null);
        return new BasicFileAttributes() {
            @Override
            public FileTime lastModifiedTime() {
                return modified;
            }

            @Override
            public FileTime lastAccessTime() {
                return modified;
            }

            @Override
            public FileTime creationTime() {
                return modified;
            }

            @Override
            public boolean isRegularFile() {
                return true;
            }

            @Override
            public boolean isDirectory() {
                return false;
            }

            @Override
            public boolean isSymbolicLink() {
                return false;
            }

            @Override
            public boolean isOther() {
                return false;
            }

            @Override
            public long size() {
                return size;
            }

            @Override
            public Object fileKey() {
                return key;
            }
        };
    }

    private static java.util.Optional<FileTime> parseHttpDate(String value) {
        try {
            return java.util.Optional.of(FileTime.from(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant()));
        } catch (DateTimeParseException e) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public FileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() {
        if (open) {
            open = false;
            streams.values().forEach(RangeStream::close);
            streams.clear();
            provider.closed(this);
            client.close();
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isReadOnly() {
        return true;
    }

    @Override
    public String getSeparator() {
        return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return List.of(getPath("/"));
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return List.of();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return Set.of("basic");
    }

    @Override
    public Path getPath(String first, String... more) {
        StringBuilder sb = new StringBuilder(first);
        for (String m : more) {
            if (!m.isEmpty()) {
                sb.append('/').append(m);
            }
        }
        return new HttpPath(this, sb.toString());
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        throw new UnsupportedOperationException("path matchers are not supported for http(s) paths");
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException("http(s) paths have no users");
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("http(s) paths cannot be watched");
    }

    @Override
    public String toString() {
        return "HttpFileSystem{" + origin + "}";
    }
}
