package io.rangestreams.cli;

import java.util.List;
import java.util.Optional;

/**
 * One option of the command line: its names ({@code -o}, {@code --output}), the label of its value if
 * it takes one, and its help text.
 *
 * @param names the names, short first; the last is the key its values are found under
 * @param label the value's label in the help ({@code FILE}), or empty for a flag
 * @param description the help text
 */
record CliOption(List<String> names, Optional<String> label, String description) {

    CliOption {
        names = List.copyOf(names);
        if (names.isEmpty() || names.stream().anyMatch(n -> !n.startsWith("-"))) {
            throw new IllegalArgumentException("option names must start with '-': " + names);
        }
    }

    /** An option without a value. */
    static CliOption flag(String description, String... names) {
        return new CliOption(List.of(names), Optional.empty(), description);
    }

    /** An option taking a value labelled {@code label}. */
    static CliOption valued(String label, String description, String... names) {
        return new CliOption(List.of(names), Optional.of(label), description);
    }

    /** The name its values are kept under: the last (long) one. */
    String key() {
        return names.get(names.size() - 1);
    }

    boolean takesValue() {
        return label.isPresent();
    }

    /** The names and label as the help shows them: {@code -o, --output FILE}. */
    String synopsis() {
        return String.join(", ", names) + label.map(l -> " " + l).orElse("");
    }
}
