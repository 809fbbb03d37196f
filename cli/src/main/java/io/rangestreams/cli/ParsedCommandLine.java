package io.rangestreams.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command line taken apart: the verb, the values of each option given (under its key, in the order
 * given) and the positional arguments.
 *
 * @param verb the verb, empty if none was given
 * @param values option values by {@link CliOption#key()}; a flag given has one empty value per use
 * @param positionals the positional arguments, in order
 */
record ParsedCommandLine(Optional<Verb> verb, Map<String, List<String>> values, List<String> positionals) {

    ParsedCommandLine {
        values = Map.copyOf(values);
        positionals = List.copyOf(positionals);
    }

    /** Whether the option (by key) was given. */
    boolean has(String key) {
        return values.containsKey(key);
    }

    /** The option's last value, if given. */
    Optional<String> value(String key) {
        List<String> v = values.get(key);
        return v == null ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    /** Every value of a repeatable option, in the order given. */
    List<String> values(String key) {
        return values.getOrDefault(key, List.of());
    }

    /**
     * An integer option.
     *
     * @throws UsageException if the value is not a whole number in {@code [min, max]}
     */
    int intValue(String key, int fallback, int min, int max) {
        Optional<String> v = value(key);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.get().strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the accepted range
        }
        throw new UsageException(key + " must be a whole number from " + min + " to " + max + ", was '" + v.get()
                + "'", verb.map(Verb::name));
    }

    /** The positional argument at {@code index}, which the parser made sure was given. */
    String positional(int index) {
        return positionals.get(index);
    }

    /** A usage error of this command line's verb. */
    UsageException usageError(String message) {
        return new UsageException(message, verb.map(Verb::name));
    }
}
