package io.rangestreams.tck.matrix;

import io.rangestreams.storage.redis.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * One {@code redis-server} for every redis cell of the matrix in this test JVM, started on first use
 * and stopped when the JVM exits; each store gets its own key prefix, so cells do not share bytes.
 */
final class SharedRedis {

    private static RedisServer server;

    private SharedRedis() {}

    /** The server's URI, {@code redis://127.0.0.1:PORT}, starting it if needed. */
    static synchronized String uri() {
        if (server == null) {
            try {
                RedisServer started = RedisServer.start(Files.createTempDirectory("tck-redis"));
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "tck-redis-stop"));
                server = started;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start redis-server for the matrix", e);
            }
        }
        return server.uri();
    }
}
