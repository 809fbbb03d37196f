package io.rangestreams.nio;

/**
 * The {@code https} file system provider, registered in
 * {@code META-INF/services/java.nio.file.spi.FileSystemProvider}. See {@link RemoteFileSystemProvider}.
 */
public final class HttpsFileSystemProvider extends RemoteFileSystemProvider {

    /** Required by {@link java.util.ServiceLoader}; sends nothing. */
    public HttpsFileSystemProvider() {
        super("https");
    }
}
