package io.rangestreams.spi;

import java.io.IOException;

/**
 * Opens {@link RangeStore}s; found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/io.rangestreams.spi.RangeStoreProvider}.
 *
 * <p>A provider is a light factory: it has a public no-argument constructor and does no I/O until
 * {@link #open} is called. It is thread-safe.
 */
public interface RangeStoreProvider {

    /** The name users select the store by: {@code memory}, {@code mapdb}. */
    String name();

    /**
     * Opens a store with the options of a parsed spec.
     *
     * @throws IllegalArgumentException if the options do not suit this store (a location it needs is
     *     missing, an unknown parameter)
     * @throws IOException if the store cannot be opened (e.g. the file is locked by another process)
     */
    RangeStore open(StoreOptions options) throws IOException;
}
