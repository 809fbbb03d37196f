package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeSet;
import io.rangestreams.RangeStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** R18 to R22: bad input, concurrency and long sequential reads. */
abstract class StreamBadInputAndConcurrencyRules extends StreamFixture {

    StreamBadInputAndConcurrencyRules(RangeStreamContract contract) {
        super(contract);
    }

    @Test
    @DisplayName("R18 bad input is rejected before any request and leaves the store unchanged")
    final void badInputIsRejectedFirst() throws IOException {
        RangeClient c = client();
        RangeStream s = open(c);
        s.read(Range.of(0, 100));
        RangeSet held = s.ranges();
        int requests = server().requests().size();
        assertThatThrownBy(() -> s.read(-1, ByteBuffer.allocate(10))).as("%s: read at -1", label(c))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> s.read(null)).as("%s: read(null)", label(c)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> s.fetch(null)).as("%s: fetch(null)", label(c)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> s.channel().position(-5)).as("%s: channel position -5", label(c))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.open(URI.create("ftp://127.0.0.1/x"))).as("%s: open ftp URI", label(c))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp");
        assertThatThrownBy(() -> c.open(URI.create("/relative/path"))).as("%s: open a relative URI", label(c))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RangeClient.builder().store("memory?maxBytes=-1")).as("%s: malformed store spec",
                label(c)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBytes");
        assertThatThrownBy(() -> RangeClient.builder().transport("no-such-transport").store(c.store()).build())
                .as("%s: unknown transport name", label(c)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-transport");
        assertThatThrownBy(() -> RangeClient.builder().blockSize(-4)).as("%s: negative block size", label(c))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-4");
        assertThat(server().requests()).as("%s: requests sent for bad input", label(c)).hasSize(requests);
        assertThat(s.ranges()).as("%s: ranges() after bad input", label(c)).isEqualTo(held);
        assertThat(s.read(Range.of(0, 100))).as("%s: held bytes after bad input", label(c))
                .isEqualTo(expected(Range.of(0, 100)));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a guard against a deadlock only, however loaded the machine
    @DisplayName("R19 16 threads doing 10000 random reads through a small store get exact bytes, no deadlock")
    final void concurrentRandomReads() throws Exception {
        int length = 128 * 1024;
        server().add("/tck/concurrent.bin", length);
        RangeClient c = client(newStore(dir(), 96 * 1024), UnaryOperator.identity());
        RangeStream s = c.open(server().uri("/tck/concurrent.bin"));
        contract.opened.add(s);
        Deadline.within(Duration.ofMinutes(5), label(c) + ": 16 threads x 625 random reads", () -> {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<Void>> done = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    long seed = t;
                    Callable<Void> task = () -> {
                        Random random = new Random(seed);
                        for (int i = 0; i < 625; i++) {
                            long start = random.nextInt(length);
                            long stop = Math.min(length, start + 1 + random.nextInt(1024));
                            Range r = Range.of(start, stop);
                            byte[] got = s.read(r);
                            if (!java.util.Arrays.equals(got, server().expected("/tck/concurrent.bin", r))) {
                                throw new AssertionError(label(c) + ": thread " + seed + " read " + i + " of " + r
                                        + " returned other bytes");
                            }
                        }
                        return null;
                    };
                    done.add(pool.submit(task));
                }
                for (Future<Void> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            return null;
        });
    }

    @Test
    @DisplayName("R21 a long sequential read streams: few requests, every byte fetched once, exact bytes")
    final void longSequentialReadStreams() throws IOException {
        String path = "/tck/long.bin";
        long length = 16L << 20;
        server().add(path, length);
        RangeClient c = streamingClient();
        RangeStream s = c.open(server().uri(path));
        contract.opened.add(s);
        byte[] buf = new byte[64 * 1024];
        long pos = 0;
        boolean exact = true;
        try (InputStream in = s.inputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                exact &= Arrays.equals(buf, 0, n, server().expected(path, Range.of(pos, pos + n)), 0, n);
                pos += n;
            }
        }
        assertThat(exact).as("%s: 16 MiB read sequentially equal the server's bytes", label(c)).isTrue();
        assertThat(pos).as("%s: bytes read sequentially", label(c)).isEqualTo(length);
        List<RangeServer.RecordedRequest> gets = server().requests(path).stream()
                .filter(r -> r.method().equals("GET")).toList();
        // Windows of 64 KiB .. 256 KiB, then requests of 8 MiB streamed: 64 windows of 256 KiB would be more.
        assertThat(gets).as("%s: GETs for a sequential 16 MiB read", label(c)).hasSizeLessThanOrEqualTo(18);
        assertThat(gets.stream().mapToLong(RangeServer.RecordedRequest::bodyBytes).sum())
                .as("%s: body bytes sent for a sequential 16 MiB read", label(c)).isEqualTo(length);
    }

    @Test
    @DisplayName("R22 a file changing under a sequential reader: every read is of one version, then only the new")
    final void changeUnderASequentialReader() throws IOException {
        String path = "/tck/changing.bin";
        int length = 16 << 20;
        server().add(path, length);
        byte[] v1 = server().expected(path, Range.of(0, length));
        RangeClient c = streamingClient();
        RangeStream s = c.open(server().uri(path));
        contract.opened.add(s);
        byte[] buf = new byte[64 * 1024];
        int pos = 0;
        byte[] v2 = null;
        boolean newSeen = false;
        try (InputStream in = s.inputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                boolean old = Arrays.equals(buf, 0, n, v1, pos, pos + n);
                boolean now = v2 != null && Arrays.equals(buf, 0, n, v2, pos, pos + n);
                assertThat(old || now).as("%s: read of %s is of one version", label(c), Range.of(pos, pos + n))
                        .isTrue();
                if (newSeen) {
                    assertThat(now).as("%s: read of %s after the new version was seen", label(c),
                            Range.of(pos, pos + n)).isTrue();
                }
                newSeen |= now && !old;
                pos += n;
                if (pos == 6 << 20) {
                    server().change(path);
                    v2 = server().expected(path, Range.of(0, length));
                }
            }
        }
        assertThat(pos).as("%s: bytes read", label(c)).isEqualTo(length);
        assertThat(newSeen).as("%s: the new version was read before the end", label(c)).isTrue();
    }

    @Test
    @DisplayName("R20 two threads wanting the same gap cause one request")
    final void sameGapIsFetchedOnce() throws Exception {
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RangeClient c = client();
        RangeStream s = open(c);
        s.length();
        server().fault(PATH, new Fault.Gate(0, reached, release));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<byte[]> first = pool.submit(() -> s.read(Range.of(4096, 6000)));
            reached.await();
            Thread[] second = new Thread[1];
            CountDownLatch started = new CountDownLatch(1);
            Future<byte[]> other = pool.submit(() -> {
                second[0] = Thread.currentThread();
                started.countDown();
                return s.read(Range.of(4500, 5500));
            });
            started.await();
            // Wait until the second reader is parked (joining the first request) or has sent its own.
            while (server().arrived(PATH) < 3 && !parked(second[0])) {
                Thread.onSpinWait();
            }
            release.countDown();
            assertThat(first.get()).as("%s: first reader", label(c)).isEqualTo(expected(Range.of(4096, 6000)));
            assertThat(other.get()).as("%s: second reader", label(c)).isEqualTo(expected(Range.of(4500, 5500)));
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        assertThat(gets()).as("%s: GETs for two readers of the same gap", label(c)).hasSize(1);
    }
}
