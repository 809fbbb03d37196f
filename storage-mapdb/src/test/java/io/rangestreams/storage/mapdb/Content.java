package io.rangestreams.storage.mapdb;

import io.rangestreams.spi.ResourceVersion;
import java.nio.ByteBuffer;
import java.util.Optional;

/** Deterministic test content: the byte at any offset of any key is computable on its own. */
final class Content {

    private Content() {}

    /** The byte at {@code offset} of the resource {@code key}. */
    static byte at(String key, long offset) {
        long x = (offset + key.hashCode() * 0x100000001B3L) * 0x9E3779B97F4A7C15L;
        return (byte) (x >>> 56);
    }

    /** {@code length} bytes of {@code key} from {@code offset}, ready to write. */
    static ByteBuffer bytes(String key, long offset, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = at(key, offset + i);
        }
        return ByteBuffer.wrap(b);
    }

    /** A version with a strong ETag. */
    static ResourceVersion version(long length, String etag) {
        return new ResourceVersion(length, Optional.of("\"" + etag + "\""), Optional.empty());
    }
}
