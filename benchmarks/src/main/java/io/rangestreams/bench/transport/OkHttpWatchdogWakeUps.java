package io.rangestreams.bench.transport;

import io.rangestreams.Range;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.tck.RangeServer;
import io.rangestreams.transport.okhttp.OkHttpRangeTransport;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Counts the wake-ups of Okio's watchdog thread (its voluntary context switches, from
 * {@code /proc/self/task}) while OkHttp's transport reads a 32 MiB body from {@code RangeServer}: an HTTP/1
 * body read without Okio's per-read timeout leaves the watchdog asleep.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.rangestreams.bench.transport.OkHttpWatchdogWakeUps}
 */
public final class OkHttpWatchdogWakeUps {

    private static final int MIB = 1024 * 1024;
    private static final Path TASKS = Path.of("/proc/self/task");

    private OkHttpWatchdogWakeUps() {}

    public static void main(String[] args) throws IOException {
        if (!Files.isDirectory(TASKS)) {
            System.err.println("no /proc/self/task here to count a thread's wake-ups");
            System.exit(2);
        }
        try (RangeServer server = RangeServer.start();
                OkHttpRangeTransport transport = new OkHttpRangeTransport(TransportOptions.defaults())) {
            URI uri = server.add("/long.bin", 33L * MIB);
            read(transport, uri, Range.of(0, MIB)); // the first exchange starts the watchdog
            long before = watchdogWakeUps();
            read(transport, uri, Range.of(MIB, 33L * MIB));
            System.out.println("wake-ups of Okio's watchdog thread while a 32 MiB body was read: "
                    + (watchdogWakeUps() - before));
        }
    }

    private static void read(OkHttpRangeTransport transport, URI uri, Range range) throws IOException {
        try (RangeResponse response = transport.send(RangeRequest.get(uri, range));
                InputStream in = response.body()) {
            in.transferTo(OutputStreamNull.INSTANCE);
        }
    }

    /** The voluntary context switches of the threads named "Okio Watchdog" (0 when there is none). */
    private static long watchdogWakeUps() throws IOException {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    if (!Files.readString(task.resolve("comm")).strip().equals("Okio Watchdog")) {
                        continue;
                    }
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            sum += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                        }
                    }
                } catch (NoSuchFileException e) {
                    // a thread that ended while listed
                }
            }
        }
        return sum;
    }

    /** Discards what it is given. */
    private static final class OutputStreamNull extends java.io.OutputStream {
        static final OutputStreamNull INSTANCE = new OutputStreamNull();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }
}
