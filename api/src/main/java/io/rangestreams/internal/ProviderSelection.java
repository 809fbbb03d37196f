package io.rangestreams.internal;

import io.rangestreams.spi.RangeStoreProvider;
import io.rangestreams.spi.RangeTransportProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Chooses a transport or store provider: the name given in code; else the system property; else the
 * environment variable; else the only provider on the class path. Fails fast, before any request,
 * listing what was found and what to set.
 */
public final class ProviderSelection {

    /** The system property naming the transport. */
    public static final String TRANSPORT_PROPERTY = "rangestreams.transport";
    /** The environment variable naming the transport. */
    public static final String TRANSPORT_ENV = "RANGESTREAMS_TRANSPORT";
    /** The system property giving the store spec. */
    public static final String STORE_PROPERTY = "rangestreams.store";
    /** The environment variable giving the store spec. */
    public static final String STORE_ENV = "RANGESTREAMS_STORE";

    private ProviderSelection() {}

    /** Transport providers on the class path, by name. */
    public static Map<String, RangeTransportProvider> transports(ClassLoader loader) {
        return discover(RangeTransportProvider.class, RangeTransportProvider::name, loader);
    }

    /** Store providers on the class path, by name. */
    public static Map<String, RangeStoreProvider> stores(ClassLoader loader) {
        return discover(RangeStoreProvider.class, RangeStoreProvider::name, loader);
    }

    /** The transport provider to use, given the name set in code (if any) and the environment. */
    public static RangeTransportProvider transport(Optional<String> named, Map<String, String> env) {
        Map<String, RangeTransportProvider> found = transports(loader());
        Optional<String> chosen = named.or(() -> configured(TRANSPORT_PROPERTY, TRANSPORT_ENV, env));
        return pick("transport", found, chosen, TRANSPORT_PROPERTY, TRANSPORT_ENV,
                "range-streams-transport-jdk, -okhttp or -apache");
    }

    /** The store spec configured in the environment, if any. */
    public static Optional<String> configuredStoreSpec(Map<String, String> env) {
        return configured(STORE_PROPERTY, STORE_ENV, env);
    }

    /** The store provider for the given name. */
    public static RangeStoreProvider store(Optional<String> name) {
        Map<String, RangeStoreProvider> found = stores(loader());
        return pick("store", found, name, STORE_PROPERTY, STORE_ENV, "range-streams-storage-memory or -mapdb");
    }

    private static Optional<String> configured(String property, String envName, Map<String, String> env) {
        String p = System.getProperty(property);
        if (p != null && !p.isBlank()) {
            return Optional.of(p.trim());
        }
        String e = env.get(envName);
        if (e != null && !e.isBlank()) {
            return Optional.of(e.trim());
        }
        return Optional.empty();
    }

    private static <P> P pick(String kind, Map<String, P> found, Optional<String> name, String property,
            String envName, String modules) {
        if (name.isPresent()) {
            P p = found.get(name.get());
            if (p == null) {
                throw new IllegalArgumentException("unknown " + kind + " '" + name.get() + "'; available: "
                        + (found.isEmpty() ? "none (add " + modules + " to the class path)" : String.join(", ", found.keySet())));
            }
            return p;
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("no " + kind + " found on the class path; add " + modules);
        }
        if (found.size() > 1) {
            throw new IllegalStateException("several " + kind + "s found (" + String.join(", ", found.keySet())
                    + "); choose one in code, with -D" + property + "=NAME or with " + envName + "=NAME");
        }
        return found.values().iterator().next();
    }

    private static <P> Map<String, P> discover(Class<P> type, Function<P, String> name, ClassLoader loader) {
        Map<String, P> found = new TreeMap<>();
        List<String> duplicates = new ArrayList<>();
        for (P p : ServiceLoader.load(type, loader)) {
            if (found.putIfAbsent(name.apply(p), p) != null) {
                duplicates.add(name.apply(p));
            }
        }
        if (!duplicates.isEmpty()) {
            throw new IllegalStateException("several " + type.getSimpleName() + "s share the name(s) " + duplicates);
        }
        return found;
    }

    private static ClassLoader loader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null ? cl : ProviderSelection.class.getClassLoader();
    }
}
