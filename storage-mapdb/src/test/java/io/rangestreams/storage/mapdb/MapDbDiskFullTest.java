package io.rangestreams.storage.mapdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rangestreams.Range;
import io.rangestreams.RangeStreamException;
import io.rangestreams.spi.ResourceVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store on a full file system (an 8 MiB tmpfs, mounted by the test, so it needs root): the error is
 * one line naming the file and "no space left", and once space is freed the store works again and
 * holds only right bytes, also after a reopen.
 */
class MapDbDiskFullTest {

    private static final String KEY = "http://127.0.0.1/file.bin";
    private static final ResourceVersion V1 = Content.version(64L << 20, "v1");
    private static final int WRITE = 256 * 1024;

    @TempDir
    Path dir;

    private Path mount;

    @BeforeEach
    void mountSmallFileSystem() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root to mount an 8 MiB tmpfs (running as " + System.getProperty("user.name") + ")");
        mount = Files.createDirectories(dir.resolve("small"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        boolean mounted = p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0;
        if (!mounted) {
            mount = null;
        }
        assumeTrue(mounted, "cannot mount a tmpfs here: " + out.strip());
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            // Lazy: MapDB may keep a write-ahead log open from the database it failed to close on the full disk.
            new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor(1, TimeUnit.MINUTES);
        }
    }

    /** Fills the file system with a file until a write fails for want of space. */
    private Path fillUp() throws IOException {
        Path filler = mount.resolve("filler");
        try (OutputStream out = Files.newOutputStream(filler)) {
            byte[] block = new byte[4096];
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            assertThat(e.getMessage()).as("the error that ended filling %s", mount).contains("No space left");
        }
        return filler;
    }

    private static void assertOneLineNoSpace(Throwable failure, Path file, String what) {
        assertThat(failure).as("%s", what).isInstanceOf(RangeStreamException.class)
                .hasMessageContaining("no space left")
                .hasMessageContaining(file.toString())
                .satisfies(e -> assertThat(e.getMessage()).as("message of %s", what).doesNotContain("\n"));
    }

    private static void assertHeldBytesRight(MapDbRangeStore store, String what) throws IOException {
        for (Range r : store.ranges(KEY)) {
            ByteBuffer dst = ByteBuffer.allocate((int) r.length());
            assertThat(store.read(KEY, r.start(), dst)).as("%s: bytes read of %s", what, r).isEqualTo(r.length());
            assertThat(dst.flip()).as("%s: content of %s", what, r).isEqualTo(Content.bytes(KEY, r.start(), (int) r.length()));
        }
    }

    @Test
    void bytesThatDoNotFitAreOneLineAndTheStoreWorksOnceSpaceIsFreed() throws IOException {
        Path file = mount.resolve("cache.db");
        Path filler = mount.resolve("filler");
        Files.write(filler, new byte[5 << 20]);
        long written = 0;
        try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
            store.bind(KEY, V1);
            Throwable failure = null;
            while (failure == null && written < 64L << 20) {
                long pos = written;
                failure = catchThrowable(() -> store.write(KEY, V1, pos, Content.bytes(KEY, pos, WRITE)));
                written += failure == null ? WRITE : 0;
            }
            assertOneLineNoSpace(failure, file, "writing past the space of an 8 MiB file system");
            assertThat(store.ranges(KEY).totalLength()).as("bytes held when the disk filled").isEqualTo(written);
            assertHeldBytesRight(store, "the disk full");

            Files.delete(filler);
            for (long pos = written; pos < written + (2 << 20); pos += WRITE) {
                assertThat(store.write(KEY, V1, pos, Content.bytes(KEY, pos, WRITE)))
                        .as("write at %d once space was freed", pos).isTrue();
            }
            written += 2 << 20;
            assertThat(store.ranges(KEY).totalLength()).as("bytes held once space was freed").isEqualTo(written);
            assertHeldBytesRight(store, "space freed");
        }
        try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
            assertThat(store.ranges(KEY).totalLength()).as("bytes held after a reopen").isEqualTo(written);
            assertHeldBytesRight(store, "reopened");
        }
    }

    @Test
    void aFullDiskUnderTheIndexIsOneLineAndTheStoreWorksOnceSpaceIsFreed() throws IOException {
        Path file = mount.resolve("cache.db");
        try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
            store.bind(KEY, V1);
            store.write(KEY, V1, 0, Content.bytes(KEY, 0, 1 << 20));
            Path filler = fillUp();
            Throwable failure = null;
            for (int i = 0; failure == null && i < 100_000; i++) {
                String key = "http://127.0.0.1/other-" + i;
                failure = catchThrowable(() -> store.bind(key, V1));
            }
            // Either the binds or the commit at the end of them meets the full disk.
            if (failure == null) {
                failure = catchThrowable(() -> store.write(KEY, V1, 1 << 20, Content.bytes(KEY, 1 << 20, WRITE)));
            }
            assertOneLineNoSpace(failure, file, "index changes on a full file system");

            Files.delete(filler);
            store.bind(KEY, V1);
            assertThat(store.write(KEY, V1, 2 << 20, Content.bytes(KEY, 2 << 20, WRITE)))
                    .as("write once space was freed").isTrue();
            assertThat(store.ranges(KEY).encloses(Range.of(2 << 20, (2 << 20) + WRITE)))
                    .as("the write once space was freed is held: %s", store.ranges(KEY)).isTrue();
            assertHeldBytesRight(store, "space freed after the index failed");
        }
        try (MapDbRangeStore store = MapDbRangeStore.open(file, Long.MAX_VALUE)) {
            assertThat(store.ranges(KEY).encloses(Range.of(2 << 20, (2 << 20) + WRITE)))
                    .as("the write once space was freed is held after a reopen: %s", store.ranges(KEY)).isTrue();
            assertHeldBytesRight(store, "reopened after the index failed");
        }
    }
}
