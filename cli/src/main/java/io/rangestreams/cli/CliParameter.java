package io.rangestreams.cli;

/**
 * A positional parameter of a verb.
 *
 * @param label its name in the usage line ({@code URL})
 * @param description the help text
 * @param min how many must be given
 * @param max how many may be given ({@link Integer#MAX_VALUE} for any number)
 */
record CliParameter(String label, String description, int min, int max) {

    CliParameter {
        if (min < 0 || max < Math.max(1, min)) {
            throw new IllegalArgumentException("parameter " + label + ": bad arity " + min + ".." + max);
        }
    }

    /** Exactly one. */
    static CliParameter one(String label, String description) {
        return new CliParameter(label, description, 1, 1);
    }

    /** Any number, none included (the verb says what none means). */
    static CliParameter many(String label, String description) {
        return new CliParameter(label, description, 0, Integer.MAX_VALUE);
    }

    /** As the usage line shows it: {@code URL}, {@code [VERB]} or {@code URL...}. */
    String synopsis() {
        String s = max > 1 ? label + "..." : label;
        return min == 0 && max == 1 ? "[" + s + "]" : s;
    }
}
