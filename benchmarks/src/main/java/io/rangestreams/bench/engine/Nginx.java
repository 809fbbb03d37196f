package io.rangestreams.bench.engine;

import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * nginx on 127.0.0.1 serving one generated file with {@code sendfile}: a server that costs the
 * client's cores almost nothing, unlike the in-JVM {@link RangeServer}, so a benchmark against it
 * measures the client alone. Needs {@code nginx} on the path ({@code apt-get install -y nginx}).
 */
final class Nginx implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(30);

    private final Path dir;
    private final Process process;
    private final URI uri;

    private Nginx(Path dir, Process process, URI uri) {
        this.dir = dir;
        this.process = process;
        this.uri = uri;
    }

    /** Starts nginx serving {@code length} bytes of RangeServer-generated content at {@code path}. */
    static Nginx serve(String path, long length) throws IOException {
        Path dir = Files.createTempDirectory("rs-bench-nginx");
        // nginx's worker runs as another user: the served file and the folders to it must be readable.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("tmp"));
        try (FileChannel out = FileChannel.open(www.resolve(path.substring(1)), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            byte[] buf = new byte[1 << 20];
            for (long pos = 0; pos < length; pos += buf.length) {
                int n = (int) Math.min(buf.length, length - pos);
                RangeServer.fill(1, pos, buf, n);
                ByteBuffer src = ByteBuffer.wrap(buf, 0, n);
                while (src.hasRemaining()) {
                    out.write(src);
                }
            }
            // On disk before anything is timed: else the kernel writes the file back during the first
            // runs, and they measure the disk too.
            out.force(true);
        }
        Files.setPosixFilePermissions(www.resolve(path.substring(1)), PosixFilePermissions.fromString("rw-r--r--"));
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String d = dir.toAbsolutePath().toString();
        Files.writeString(dir.resolve("nginx.conf"), String.join("\n",
                "worker_processes 1;",
                "pid " + d + "/nginx.pid;",
                "error_log " + d + "/logs/error.log;",
                "events { worker_connections 256; }",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + d + "/tmp; proxy_temp_path " + d + "/tmp; fastcgi_temp_path " + d + "/tmp;",
                "  uwsgi_temp_path " + d + "/tmp; scgi_temp_path " + d + "/tmp;",
                "  sendfile on;",
                "  keepalive_requests 100000;",
                "  server { listen 127.0.0.1:" + port + "; root " + www + "; default_type application/octet-stream; }",
                "}", ""));
        Process process;
        try {
            process = new ProcessBuilder("nginx", "-p", d, "-c", d + "/nginx.conf", "-g", "daemon off;")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new IOException("cannot start nginx (install it: apt-get install -y nginx): " + e.getMessage(), e);
        }
        // A benchmark that fails skips its teardown; nginx must not outlive the JVM that started it.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
        Nginx nginx = new Nginx(dir, process, URI.create("http://127.0.0.1:" + port + path));
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            try {
                new Socket(InetAddress.getLoopbackAddress(), port).close();
                return nginx;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    String log = Files.readString(dir.resolve("logs/stdout.log")).strip();
                    nginx.close();
                    throw new IOException("nginx did not start listening on port " + port + " within " + STARTUP
                            + (process.isAlive() ? "" : " (it exited)") + (log.isEmpty() ? "" : ": " + log));
                }
                LockSupport.parkNanos(1_000_000); // a busy machine may take a while; a spin ran out in microseconds
            }
        }
    }

    URI uri() {
        return uri;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
