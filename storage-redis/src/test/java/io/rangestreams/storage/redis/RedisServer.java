package io.rangestreams.storage.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code redis-server} run as a plain child process on a free 127.0.0.1 port, without
 * persistence: what Testcontainers would do, without Docker. {@link #kill()} and {@link #start()}
 * stop it abruptly and start it again on the same port (empty, as after a crash).
 */
public final class RedisServer implements AutoCloseable {

    private final int port;
    private final Path dir;
    private final List<String> extra;
    private Process process;

    private RedisServer(int port, Path dir, List<String> extra) {
        this.port = port;
        this.dir = dir;
        this.extra = extra;
    }

    /** Starts a standalone server on a free port, with its working files in {@code dir}. */
    public static RedisServer start(Path dir, String... options) throws IOException {
        RedisServer server = new RedisServer(freePort(), Files.createDirectories(dir), List.of(options));
        server.start();
        return server;
    }

    /** A free loopback port (bound and released: taken again by the server at once). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Starts (or starts again) the server and waits until it accepts connections.
     *
     * @throws IOException if {@code redis-server} is missing or ends first
     */
    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("redis-server on port " + port + " is already running");
        }
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        command.addAll(extra);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run redis-server (install it: apt-get install -y redis-server): "
                    + e.getMessage(), e);
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder log = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            log.append(line).append('\n');
            if (line.contains("Ready to accept connections")) {
                Thread drain = new Thread(() -> drain(out), "redis-server-" + port + "-output");
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new IOException("redis-server on port " + port + " ended before it was ready:\n" + log);
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // The server's log is not needed once it is ready; reading it keeps the pipe from filling.
            }
        } catch (IOException e) {
            // The server ended.
        }
    }

    /** Kills the server with SIGKILL, as a crash would, and waits until it is gone. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The port it listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Runs {@code redis-cli -p PORT args...} and returns its output. */
    public String cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("redis-cli " + String.join(" ", args) + " failed: " + output);
        }
        return output;
    }

    @Override
    public void close() {
        kill();
    }
}
