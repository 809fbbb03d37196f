package io.rangestreams.storage.mapdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.ResourceVersion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** A temporary directory per test and the reads and writes the MapDB store tests share. */
abstract class MapDbRangeStoreFixture {

    static final String KEY = "http://127.0.0.1/file.bin";
    static final ResourceVersion V1 = Content.version(10L << 20, "v1");
    static final ResourceVersion V2 = Content.version(10L << 20, "v2");

    @TempDir
    Path dir;

    static byte[] read(RangeStore store, String key, long position, int length) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(length);
        int n = store.read(key, position, dst);
        byte[] out = new byte[n];
        dst.flip().get(out);
        return out;
    }

    static byte[] expected(String key, long position, int length) {
        return Content.bytes(key, position, length).array();
    }

    static void write(RangeStore store, String key, long position, int length) throws IOException {
        assertThat(store.write(key, V1, position, Content.bytes(key, position, length)))
                .as("write of [%d, %d) of %s to %s", position, position + length, key, store).isTrue();
    }
}
