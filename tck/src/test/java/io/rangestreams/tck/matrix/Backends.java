package io.rangestreams.tck.matrix;

import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeStoreProvider;
import io.rangestreams.spi.RangeTransportProvider;
import io.rangestreams.spi.StoreOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The transports and stores on the test class path, found with {@link ServiceLoader} exactly as
 * {@code RangeClient} finds them, so a missing services file shrinks this list (and fails the guard
 * test) instead of silently shrinking the matrix.
 */
final class Backends {

    private Backends() {}

    /** A transport as a matrix argument: shown by its name. */
    record Transport(RangeTransportProvider provider) {
        @Override
        public String toString() {
            return provider.name();
        }
    }

    /** A store as a matrix argument: shown by its name, opened in a test's directory. */
    record Store(RangeStoreProvider provider) {
        /** An unbounded store with its files under {@code dir}. */
        RangeStore open(Path dir) throws IOException {
            return provider.open(options(dir, Optional.empty()));
        }

        /** A store holding at most {@code maxBytes}, with its files under {@code dir}. */
        RangeStore open(Path dir, long maxBytes) throws IOException {
            return provider.open(options(dir, Optional.of(maxBytes)));
        }

        // The in-memory store takes no location; redis gets the shared server and a key prefix of the
        // test directory (so a store reopened on it finds its bytes); every other store a file in it.
        StoreOptions options(Path dir, Optional<Long> maxBytes) {
            Map<String, String> parameters = new HashMap<>();
            maxBytes.ifPresent(m -> parameters.put("maxBytes", Long.toString(m)));
            Optional<Path> location = switch (provider.name()) {
                case "memory" -> Optional.empty();
                case "redis" -> {
                    parameters.put("prefix", "tck-" + Integer.toHexString(dir.toAbsolutePath().toString().hashCode()));
                    yield Optional.of(Path.of(SharedRedis.uri()));
                }
                default -> Optional.of(dir.resolve(provider.name() + ".db"));
            };
            return new StoreOptions(provider.name(), location, parameters);
        }

        @Override
        public String toString() {
            return provider.name();
        }
    }

    /** A transport and a store: one cell of the stream matrix, shown as {@code okhttp x mapdb}. */
    record Combination(Transport transport, Store store) {
        @Override
        public String toString() {
            return transport + " x " + store;
        }
    }

    static List<Transport> transports() {
        List<Transport> out = new ArrayList<>();
        ServiceLoader.load(RangeTransportProvider.class).forEach(p -> out.add(new Transport(p)));
        out.sort(Comparator.comparing(Transport::toString));
        return out;
    }

    static List<Store> stores() {
        List<Store> out = new ArrayList<>();
        ServiceLoader.load(RangeStoreProvider.class).forEach(p -> out.add(new Store(p)));
        out.sort(Comparator.comparing(Store::toString));
        return out;
    }

    static List<Combination> combinations() {
        List<Combination> out = new ArrayList<>();
        for (Transport t : transports()) {
            for (Store s : stores()) {
                out.add(new Combination(t, s));
            }
        }
        return out;
    }
}
