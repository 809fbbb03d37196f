package io.rangestreams.storage.mapdb;

import io.rangestreams.spi.ResourceVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * A writer that never stops on its own: run in a child JVM by {@link MapDbCrashTest}, which kills it
 * with SIGKILL at a random moment. Writes deterministic content ({@link Content}) at random offsets of
 * two keys into a bounded store, so evictions happen too, and prints {@code progress N} after each.
 *
 * <p>Arguments: the store file, {@code maxBytes}, a random seed.
 */
public final class CrashWriter {

    static final List<String> KEYS = List.of("crash://host/a.bin", "crash://host/b.bin");
    static final long LENGTH = 64L << 20;

    private CrashWriter() {}

    /** Runs until killed. */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        long maxBytes = Long.parseLong(args[1]);
        Random random = new Random(Long.parseLong(args[2]));
        MapDbRangeStore store = MapDbRangeStore.open(file, maxBytes);
        for (String key : KEYS) {
            store.bind(key, version());
        }
        System.out.println("started");
        System.out.flush();
        for (long n = 1; ; n++) {
            String key = KEYS.get(random.nextInt(KEYS.size()));
            int length = 1 + random.nextInt(400 * 1024);
            long position = random.nextLong(LENGTH - length);
            if (random.nextInt(4) == 0) {
                position -= position % (256 * 1024); // sometimes block-aligned, as the engine writes
            }
            store.write(key, version(), position, Content.bytes(key, position, length));
            if (random.nextInt(50) == 0) {
                store.remove(key);
                store.bind(key, version());
            }
            System.out.println("progress " + n);
            System.out.flush();
        }
    }

    static ResourceVersion version() {
        return Content.version(LENGTH, "crash-v1");
    }
}
