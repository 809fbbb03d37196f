package io.rangestreams.nio;

/**
 * The {@code http} file system provider, registered in
 * {@code META-INF/services/java.nio.file.spi.FileSystemProvider}. See {@link RemoteFileSystemProvider}.
 */
public final class HttpFileSystemProvider extends RemoteFileSystemProvider {

    /** Required by {@link java.util.ServiceLoader}; sends nothing. */
    public HttpFileSystemProvider() {
        super("http");
    }
}
