package io.rangestreams.spi;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A parsed store spec, {@code name[:location][?key=value&...]}: e.g. {@code memory?maxBytes=256m},
 * {@code mapdb:/var/cache/rs.db?maxBytes=10g}, {@code mapdb:~/.cache/range-streams/cache.db}.
 *
 * @param name the store's name
 * @param location the location, with a leading {@code ~/} expanded to the user's home, if given
 * @param parameters the query parameters, in order
 */
public record StoreOptions(String name, Optional<Path> location, Map<String, String> parameters) {

    /** Validates the options. */
    public StoreOptions {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("store name must be lower-case letters, digits and '-', was '"
                    + name + "'");
        }
        Objects.requireNonNull(location, "location");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * Parses a spec.
     *
     * @throws IllegalArgumentException naming the spec and what is wrong with it
     */
    public static StoreOptions parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        String s = spec.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("store spec is empty; expected name[:location][?key=value&...]");
        }
        String query = "";
        int q = s.indexOf('?');
        if (q >= 0) {
            query = s.substring(q + 1);
            s = s.substring(0, q);
        }
        String name = s;
        Optional<Path> location = Optional.empty();
        int colon = s.indexOf(':');
        if (colon >= 0) {
            name = s.substring(0, colon);
            String loc = s.substring(colon + 1);
            if (loc.isEmpty()) {
                throw new IllegalArgumentException("store spec '" + spec + "' has an empty location after ':'");
            }
            if (loc.equals("~") || loc.startsWith("~/")) {
                loc = System.getProperty("user.home") + loc.substring(1);
            }
            try {
                location = Optional.of(Path.of(loc));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("store spec '" + spec + "' has an invalid location: " + loc, e);
            }
        }
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("store spec '" + spec + "' has an invalid name '" + name
                    + "'; expected name[:location][?key=value&...]");
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&", -1)) {
                int eq = pair.indexOf('=');
                if (eq <= 0 || eq == pair.length() - 1) {
                    throw new IllegalArgumentException("store spec '" + spec + "' has a malformed parameter '" + pair
                            + "'; expected key=value");
                }
                String key = pair.substring(0, eq);
                if (params.put(key, pair.substring(eq + 1)) != null) {
                    throw new IllegalArgumentException("store spec '" + spec + "' repeats parameter '" + key + "'");
                }
            }
        }
        StoreOptions options = new StoreOptions(name, location, params);
        options.maxBytes(); // validate the one parameter every store shares
        return options;
    }

    /** Options for the named store with no location and no parameters. */
    public static StoreOptions of(String name) {
        return new StoreOptions(name, Optional.empty(), Map.of());
    }

    /** The spec these options parse from, {@code name[:location][?key=value&...]}, for messages. */
    @Override
    public String toString() {
        StringBuilder spec = new StringBuilder(name);
        location.ifPresent(l -> spec.append(':').append(l));
        String sep = "?";
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            spec.append(sep).append(p.getKey()).append('=').append(p.getValue());
            sep = "&";
        }
        return spec.toString();
    }

    /** The {@code maxBytes} parameter, if given: a byte count with an optional k, m, g or t suffix. */
    public OptionalLong maxBytes() {
        String v = parameters.get("maxBytes");
        return v == null ? OptionalLong.empty() : OptionalLong.of(parseSize("maxBytes", v));
    }

    /**
     * Fails if a parameter is not among those the store knows.
     *
     * @throws IllegalArgumentException naming the unknown parameter and the known ones
     */
    public void requireOnly(String... known) {
        for (String key : parameters.keySet()) {
            if (!java.util.Arrays.asList(known).contains(key)) {
                throw new IllegalArgumentException("store '" + name + "' has no parameter '" + key + "'; known: "
                        + String.join(", ", known));
            }
        }
    }

    /**
     * Parses a size such as {@code 4096}, {@code 64k}, {@code 256m}, {@code 10g} or {@code 1t}
     * (binary multiples; a trailing {@code b} or {@code ib} is allowed).
     *
     * @throws IllegalArgumentException naming the parameter and the value
     */
    public static long parseSize(String what, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.endsWith("ib")) {
            v = v.substring(0, v.length() - 2);
        } else if (v.endsWith("b")) {
            v = v.substring(0, v.length() - 1);
        }
        long multiplier = 1;
        if (!v.isEmpty()) {
            char unit = v.charAt(v.length() - 1);
            int shift = switch (unit) {
                case 'k' -> 10;
                case 'm' -> 20;
                case 'g' -> 30;
                case 't' -> 40;
                default -> 0;
            };
            if (shift > 0) {
                multiplier = 1L << shift;
                v = v.substring(0, v.length() - 1);
            }
        }
        try {
            long n = Long.parseLong(v);
            if (n <= 0) {
                throw new IllegalArgumentException(what + " must be positive, was '" + value + "'");
            }
            return Math.multiplyExact(n, multiplier);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(what + " is not a size (e.g. 4096, 64k, 256m, 10g): '" + value + "'", e);
        }
    }
}
