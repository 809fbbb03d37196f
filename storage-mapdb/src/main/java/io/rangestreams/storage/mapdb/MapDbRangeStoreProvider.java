package io.rangestreams.storage.mapdb;

import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeStoreProvider;
import io.rangestreams.spi.StoreOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Provides the {@code mapdb} store: spec {@code mapdb:/path/to/cache.db}, with the optional parameters
 * {@code maxBytes} (e.g. {@code 10g}) and {@code lockWait} (how long to wait for another process
 * that has the file open, e.g. {@code 0}, {@code 500ms}, {@code 30s}, {@code 2m}; default
 * {@code 10s}). A leading {@code ~/} is the user's home. The file, its data file {@code PATH.data}
 * and their parent directories are created if missing.
 */
public final class MapDbRangeStoreProvider implements RangeStoreProvider {

    /** Required by {@link java.util.ServiceLoader}. */
    public MapDbRangeStoreProvider() {}

    @Override
    public String name() {
        return "mapdb";
    }

    /**
     * Opens the store file named by the spec's location.
     *
     * @throws IllegalArgumentException if the location is missing or a directory, or a parameter is
     *     unknown or malformed
     * @throws IOException if the file stays in use by another process for {@code lockWait}, or is damaged
     */
    @Override
    public RangeStore open(StoreOptions options) throws IOException {
        if (!options.name().equals(name())) {
            throw new IllegalArgumentException("store options are for '" + options.name() + "', not 'mapdb'");
        }
        Path file = options.location().orElseThrow(() -> new IllegalArgumentException(
                "store 'mapdb' needs the path of its file, e.g. mapdb:/var/cache/range-streams/cache.db?maxBytes=10g "
                        + "or mapdb:~/.cache/range-streams/cache.db"));
        options.requireOnly("maxBytes", "lockWait");
        Duration lockWait = parseDuration("lockWait", options.parameters().get("lockWait"));
        return MapDbRangeStore.open(file, options.maxBytes().orElse(Long.MAX_VALUE), lockWait);
    }

    /**
     * Parses {@code 0} or a whole number with unit {@code ms}, {@code s} or {@code m}; absent gives the
     * default.
     *
     * @throws IllegalArgumentException naming the parameter and the value
     */
    static Duration parseDuration(String what, String value) {
        if (value == null) {
            return MapDbRangeStore.DEFAULT_LOCK_WAIT;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.equals("0")) {
                return Duration.ZERO;
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // reported below
        }
        throw new IllegalArgumentException(what + " is not a duration (e.g. 0, 500ms, 10s, 2m): '" + value + "'");
    }
}
