package io.rangestreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StreamBufferTest {

    private static final int SIZE = 100_003;

    static byte[] content(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 7 + (i >>> 9));
        }
        return b;
    }

    /** Splits content into chunks of the given sizes (cycled), as a one-way iterator. */
    static Iterator<byte[]> chunked(byte[] content, int... sizes) {
        List<byte[]> chunks = new ArrayList<>();
        int pos = 0;
        int k = 0;
        while (pos < content.length) {
            int n = Math.min(sizes[k++ % sizes.length], content.length - pos);
            chunks.add(Arrays.copyOfRange(content, pos, pos + n));
            pos += n;
        }
        return chunks.iterator();
    }

    static Stream<Arguments> chunkings() {
        return Stream.of(
                Arguments.of("1-byte chunks", new int[] {1}),
                Arguments.of("odd sizes", new int[] {7, 1, 4093, 13, 65537, 2}),
                Arguments.of("one big chunk", new int[] {SIZE}),
                Arguments.of("with empty chunks", new int[] {0, 333, 0, 0, 1000}));
    }

    /** Read patterns: random, backward, forward skips and past the end, against memory limits that spill or not. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("chunkings")
    void offsetsAreExactForEveryChunkingAndReadPattern(String name, int[] sizes, @TempDir Path dir) throws IOException {
        byte[] content = content(SIZE);
        for (long limit : new long[] {0, 10_000, StreamBuffer.DEFAULT_MEMORY_LIMIT}) {
            String what = name + ", memory limit " + limit;
            try (StreamBuffer buffer = StreamBuffer.builder(chunked(content, sizes)).memoryLimit(limit)
                    .spillDirectory(dir).build()) {
                // forward skip far ahead of what was streamed: bytes must come from the offset, not a chunk start
                assertThat(buffer.read(50_000, 100)).as(what).isEqualTo(slice(content, 50_000, 100));
                // backward
                assertThat(buffer.read(10, 5)).as(what).isEqualTo(slice(content, 10, 5));
                // random
                Random random = new Random(limit + sizes.length);
                for (int i = 0; i < 200; i++) {
                    int off = random.nextInt(SIZE + 100);
                    int size = random.nextInt(3000);
                    int expected = Math.max(0, Math.min(size, SIZE - off));
                    assertThat(buffer.read(off, size)).as(what + " read(" + off + ", " + size + ")")
                            .isEqualTo(slice(content, off, expected));
                }
                // at and past the end
                assertThat(buffer.read(SIZE, 10)).as(what).isEmpty();
                assertThat(buffer.read(SIZE + 1000, 10)).as(what).isEmpty();
                assertThat(buffer.read(SIZE - 3, 10)).as(what).isEqualTo(slice(content, SIZE - 3, 3));
                assertThat(buffer.length()).as(what).hasValue(SIZE);
                assertThat(buffer.spilled()).as(what).isEqualTo(limit < SIZE);
            }
        }
    }

    @Test
    void readsOnlyAsFarAsNeeded() throws IOException {
        AtomicInteger pulled = new AtomicInteger();
        byte[] content = content(SIZE);
        InputStream counting = new ByteArrayInputStream(content) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                if (n > 0) {
                    pulled.addAndGet(n);
                }
                return n;
            }
        };
        try (StreamBuffer buffer = StreamBuffer.of(counting)) {
            assertThat(buffer.read(0, 10)).isEqualTo(slice(content, 0, 10));
            assertThat(buffer.length()).as("unknown until the source ends").isEmpty();
            assertThat(pulled.get()).as("pulled at most one chunk ahead").isLessThanOrEqualTo(64 * 1024);
            assertThat(buffer.read(0, 10)).isEqualTo(slice(content, 0, 10));
            assertThat(buffer.available()).isEqualTo(pulled.get());
        }
    }

    @Test
    void expectedLengthIsKnownAtOnceAndAShortSourceIsAnError() throws IOException {
        byte[] content = content(1000);
        try (StreamBuffer buffer = StreamBuffer.builder(new ByteArrayInputStream(content)).expectedLength(1000).build()) {
            assertThat(buffer.length()).hasValue(1000);
            assertThat(buffer.read(990, 100)).isEqualTo(slice(content, 990, 10));
        }
        try (StreamBuffer buffer = StreamBuffer.builder(new ByteArrayInputStream(content)).expectedLength(2000).build()) {
            assertThatThrownBy(() -> buffer.read(1500, 10)).isInstanceOf(IOException.class)
                    .hasMessageContaining("1000").hasMessageContaining("2000");
        }
    }

    @Test
    void iteratorIsNeverRestarted() throws IOException {
        AtomicInteger iterations = new AtomicInteger();
        Iterable<byte[]> reiterable = () -> {
            iterations.incrementAndGet();
            return chunked(content(1000), 100);
        };
        try (StreamBuffer buffer = StreamBuffer.builder(reiterable.iterator()).build()) {
            buffer.read(900, 100);
            buffer.read(0, 100);
            buffer.read(1000, 100);
        }
        assertThat(iterations.get()).isEqualTo(1);
    }

    @Test
    void badArgumentsAreRejectedWithTheValue() {
        try (StreamBuffer buffer = StreamBuffer.of(new ByteArrayInputStream(new byte[10]))) {
            assertThatThrownBy(() -> buffer.read(-1, 3)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-1");
            assertThatThrownBy(() -> buffer.read(0, -3)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-3");
        }
        assertThatThrownBy(() -> StreamBuffer.builder(new ByteArrayInputStream(new byte[1])).memoryLimit(-5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-5");
    }

    @Nested
    class Channel {
        @Test
        void honoursSeekableByteChannel() throws IOException {
            byte[] content = content(5000);
            try (StreamBuffer buffer = StreamBuffer.builder(chunked(content, 333)).memoryLimit(1000).build()) {
                SeekableByteChannel ch = buffer.channel();
                ByteBuffer dst = ByteBuffer.allocate(100);
                ch.position(4950);
                assertThat(ch.read(dst)).isEqualTo(50);
                assertThat(Arrays.copyOf(dst.array(), 50)).isEqualTo(slice(content, 4950, 50));
                assertThat(ch.position()).isEqualTo(5000);
                dst.clear();
                assertThat(ch.read(dst)).as("at the end").isEqualTo(-1);
                assertThat(ch.size()).isEqualTo(5000);
                ch.position(0);
                dst.clear();
                assertThat(ch.read(dst)).isEqualTo(100);
                assertThat(dst.array()).isEqualTo(slice(content, 0, 100));
                assertThatThrownBy(() -> ch.write(ByteBuffer.allocate(1))).isInstanceOf(NonWritableChannelException.class);
                ch.close();
                assertThat(ch.isOpen()).isFalse();
                assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
            }
        }
    }

    @Nested
    class Lifecycle {
        @Test
        void closeClosesTheSourceDeletesTheSpillFileAndIsIdempotent(@TempDir Path dir) throws IOException {
            AtomicBoolean closed = new AtomicBoolean();
            InputStream source = new ByteArrayInputStream(content(SIZE)) {
                @Override
                public void close() {
                    closed.set(true);
                }
            };
            StreamBuffer buffer = StreamBuffer.builder(source).memoryLimit(1000).spillDirectory(dir).build();
            buffer.read(SIZE - 10, 10);
            assertThat(buffer.spilled()).as("spilled past a 1000-byte memory limit").isTrue();
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.count()).as("spill file unlinked while open (POSIX)").isZero();
            }
            assertThat(buffer.read(5, 10)).as("bytes read back from the unlinked spill file")
                    .isEqualTo(slice(content(SIZE), 5, 10));
            buffer.close();
            buffer.close();
            assertThat(closed).isTrue();
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.count()).as("spill file deleted").isZero();
            }
            assertThatThrownBy(() -> buffer.read(0, 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }

        @Test
        void anAbandonedBufferIsCleanedUp(@TempDir Path dir) throws Exception {
            CountDownLatch closed = new CountDownLatch(1);
            abandon(dir, closed);
            // The Cleaner runs once the buffer is unreachable; nudge the collector until it has.
            while (!closed.await(50, TimeUnit.MILLISECONDS)) {
                System.gc();
            }
            while (true) {
                try (Stream<Path> files = Files.list(dir)) {
                    if (files.findAny().isEmpty()) {
                        break;
                    }
                }
                System.gc();
                closed.await(10, TimeUnit.MILLISECONDS);
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.count()).as("spill file deleted by the cleaner").isZero();
            }
        }

        private void abandon(Path dir, CountDownLatch closed) throws IOException {
            InputStream source = new ByteArrayInputStream(content(SIZE)) {
                @Override
                public void close() {
                    closed.countDown();
                }
            };
            StreamBuffer buffer = StreamBuffer.builder(source).memoryLimit(100).spillDirectory(dir).build();
            buffer.read(SIZE - 1, 1);
        }
    }

    @Test
    void manyThreadsReadExactBytes() throws Exception {
        byte[] content = content(SIZE);
        try (StreamBuffer buffer = StreamBuffer.builder(chunked(content, 1000, 17)).memoryLimit(20_000).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int seed = t;
                    futures.add(pool.submit(() -> {
                        Random random = new Random(seed);
                        for (int i = 0; i < 500; i++) {
                            int off = random.nextInt(SIZE);
                            int size = random.nextInt(2000);
                            byte[] got = buffer.read(off, size);
                            assertThat(got).as("thread " + seed + " read(" + off + ", " + size + ")")
                                    .isEqualTo(slice(content, off, Math.min(size, SIZE - off)));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** A 1 GiB source through a 5 MiB buffer in a JVM with a 64 MiB heap. */
    @Test
    void aGibibyteSourceKeepsTheHeapSmall(@TempDir Path dir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                StreamBufferHeapCheck.class.getName(), Long.toString(1L << 30), dir.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("forked JVM output: " + output).isZero();
        assertThat(output).contains("ok");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.count()).as("spill file deleted").isZero();
        }
    }

    @Nested
    class Bound {

        private InputStream endless() {
            return new InputStream() {
                private long pos;

                @Override
                public int read() {
                    return StreamBufferHeapCheck.at(pos++) & 0xff;
                }
            };
        }

        @Test
        void bytesWithinTheBoundOfAnEndlessSourceAreServedAndPastItFailNamingTheBound(@TempDir Path dir)
                throws IOException {
            try (StreamBuffer buffer = StreamBuffer.builder(endless()).memoryLimit(10_000).maxBytes(200_000)
                    .spillDirectory(dir).build()) {
                byte[] got = buffer.read(199_000, 1000);
                byte[] want = new byte[1000];
                for (int i = 0; i < want.length; i++) {
                    want[i] = StreamBufferHeapCheck.at(199_000 + i);
                }
                assertThat(got).as("the last 1000 bytes within a 200,000-byte bound of an endless source").isEqualTo(want);
                assertThatThrownBy(() -> buffer.read(199_500, 1000)).as("a read past the bound of an endless source")
                        .isInstanceOf(IOException.class).hasMessageContaining("bound of 200000 bytes");
                assertThatThrownBy(() -> buffer.read(250_000, 1)).as("a read past the bound, again")
                        .isInstanceOf(IOException.class).hasMessageContaining("bound of 200000 bytes");
                assertThat(buffer.read(0, 10)).as("bytes within the bound after the failure").hasSize(10);
                assertThat(buffer.available()).as("bytes taken from the endless source").isEqualTo(200_000);
                assertThat(buffer.length()).as("length of a source longer than the bound").isEmpty();
            }
        }

        @Test
        void aSourceOfExactlyTheBoundEndsNormally() throws IOException {
            try (StreamBuffer buffer = StreamBuffer.builder(new ByteArrayInputStream(content(SIZE))).maxBytes(SIZE).build()) {
                assertThat(buffer.read(SIZE - 3, 10)).as("the end of a source exactly as long as the bound")
                        .isEqualTo(slice(content(SIZE), SIZE - 3, 3));
                assertThat(buffer.length()).as("length of a source exactly as long as the bound").hasValue(SIZE);
            }
        }

        @Test
        void aKilledProcessLeavesNoSpillFile(@TempDir Path dir) throws Exception {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                    StreamBufferKillCheck.class.getName(), dir.toString())
                    .redirectErrorStream(true)
                    .start();
            try {
                String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
                assertThat(line).as("the forked JVM's report").isEqualTo("spilled");
            } finally {
                p.destroyForcibly();
                p.waitFor();
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.toList()).as("files left in the spill directory by a killed process").isEmpty();
            }
        }
    }

    static byte[] slice(byte[] content, int off, int len) {
        if (off >= content.length || len <= 0) {
            return new byte[0];
        }
        return Arrays.copyOfRange(content, off, Math.min(content.length, off + len));
    }
}
