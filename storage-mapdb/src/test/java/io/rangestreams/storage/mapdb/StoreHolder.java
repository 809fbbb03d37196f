package io.rangestreams.storage.mapdb;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens a store file, prints {@code open}, and keeps it open until its standard input ends: the
 * "other process" of {@link MapDbRangeStoreConcurrencyTest}'s lock test.
 *
 * <p>Argument: the store file.
 */
public final class StoreHolder {

    private StoreHolder() {}

    /** Holds the store until standard input is closed. */
    public static void main(String[] args) throws IOException {
        try (MapDbRangeStore store = MapDbRangeStore.open(Path.of(args[0]), Long.MAX_VALUE)) {
            System.out.println("open " + store);
            System.out.flush();
            while (System.in.read() != -1) {
                // wait for the parent to close our input
            }
        }
        System.out.println("closed");
        System.out.flush();
    }
}
