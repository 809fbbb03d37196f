package io.rangestreams.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Takes a command line apart against the global options and the verbs. Global options may come before
 * or after the verb; a verb's own options after it. {@code --name=value}, {@code --name value},
 * {@code -r0-99} and {@code -r 0-99} are all accepted; {@code --} ends the options. Written by hand
 * rather than with an annotation-driven library so that a run builds the model of one verb, from
 * classes the class-data archive can hold.
 */
final class CommandLineParser {

    private final List<CliOption> globals;
    private final List<Verb> verbs;

    CommandLineParser(List<CliOption> globals, List<Verb> verbs) {
        this.globals = List.copyOf(globals);
        this.verbs = List.copyOf(verbs);
    }

    /** The verb named {@code name}, if there is one. */
    Optional<Verb> verb(String name) {
        return verbs.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /**
     * Parses {@code args}. The number of positional arguments is checked by {@link #requireArity}, so
     * that {@code --help} works on an incomplete line.
     *
     * @throws UsageException for an unknown verb or option, or an option missing its value
     */
    ParsedCommandLine parse(String... args) {
        Optional<Verb> verb = Optional.empty();
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> positionals = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!optionsEnded && arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                if (verb.isEmpty()) {
                    verb = Optional.of(verb(arg).orElseThrow(() -> new UsageException("unknown verb '" + arg
                            + "'; the verbs are " + String.join(", ", verbs.stream().map(Verb::name).toList()))));
                } else {
                    positionals.add(arg);
                }
                continue;
            }
            Optional<String> where = verb.map(Verb::name);
            String name = arg;
            Optional<String> attached = Optional.empty();
            if (arg.startsWith("--") && arg.indexOf('=') > 0) {
                name = arg.substring(0, arg.indexOf('='));
                attached = Optional.of(arg.substring(arg.indexOf('=') + 1));
            }
            Optional<CliOption> option = find(name, verb);
            if (option.isEmpty() && !arg.startsWith("--") && arg.length() > 2) {
                // -r0-99: a short option with its value attached
                Optional<CliOption> shortOption = find(arg.substring(0, 2), verb).filter(CliOption::takesValue);
                if (shortOption.isPresent()) {
                    option = shortOption;
                    name = arg.substring(0, 2);
                    attached = Optional.of(arg.substring(2));
                }
            }
            CliOption o = option.orElseThrow(() -> new UsageException("unknown option '" + arg + "'", where));
            String value;
            if (!o.takesValue()) {
                if (attached.isPresent()) {
                    throw new UsageException("option '" + name + "' takes no value", where);
                }
                value = "";
            } else if (attached.isPresent()) {
                value = attached.get();
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException("option '" + name + "' needs a value (" + o.label().orElseThrow() + ")",
                        where);
            }
            values.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(value);
        }
        return new ParsedCommandLine(verb, values, positionals);
    }

    /**
     * Checks the number of positional arguments against the verb's parameters.
     *
     * @throws UsageException naming the first missing parameter, or the first argument too many
     */
    static void requireArity(ParsedCommandLine line) {
        Verb verb = line.verb().orElseThrow(() -> new UsageException("no command given"));
        int given = line.positionals().size();
        int needed = 0;
        long allowed = 0;
        for (CliParameter p : verb.parameters()) {
            needed += p.min();
            if (given < needed) {
                throw line.usageError("missing " + p.label() + " (usage: " + verb.usage() + ")");
            }
            allowed += p.max();
        }
        if (given > allowed) {
            throw line.usageError("unexpected argument '" + line.positional((int) allowed) + "' (usage: "
                    + verb.usage() + ")");
        }
    }

    /** The global option, else the verb's option, of that name; loops, as it runs for every option given. */
    private Optional<CliOption> find(String name, Optional<Verb> verb) {
        for (CliOption o : globals) {
            if (o.names().contains(name)) {
                return Optional.of(o);
            }
        }
        for (CliOption o : verb.map(Verb::options).orElse(List.of())) {
            if (o.names().contains(name)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
