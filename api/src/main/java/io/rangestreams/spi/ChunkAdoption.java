package io.rangestreams.spi;

import java.io.IOException;

/**
 * An optional mix-in for a {@link RangeStore} that keeps heap arrays: the engine fills arrays the store
 * hands out and hands them back, so the store may keep them as they are instead of copying. A store
 * without it is written with {@link RangeStore#write}.
 *
 * <p>Thread safety: as the store's other methods.
 *
 * <p>Rules S13 and S14 of {@link RangeStore} apply to stores that implement this.
 */
public interface ChunkAdoption {

    /**
     * An array of {@code size} bytes for the engine to fill and hand over with {@link #writeOwned}: one the
     * store can keep as it is (say, the array of an evicted piece), or a new one.
     */
    byte[] newChunk(int size);

    /**
     * {@link RangeStore#write} of {@code bytes[0, length)}, with the array handed over: the caller never
     * touches it again, so the store may keep it instead of copying it. The rules are those of
     * {@code write}.
     *
     * @return whether the bytes were stored
     */
    boolean writeOwned(String key, ResourceVersion version, long position, byte[] bytes, int length)
            throws IOException;
}
