package io.rangestreams.cli;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * A verb of the command line ({@code get}, {@code ls}, ...): what it accepts, for the parser and the
 * help, and how to make the command that runs it. The command's class is only loaded when the verb is
 * the one given, so a run builds nothing for the other verbs.
 *
 * @param name the verb as typed
 * @param summary one line for the list of verbs
 * @param description the paragraph of {@code help VERB}
 * @param options the verb's own options (the global ones are accepted too)
 * @param parameters the positional parameters, in order
 * @param command makes the command that runs it
 */
record Verb(String name, String summary, String description, List<CliOption> options,
        List<CliParameter> parameters, Supplier<Command> command) {

    Verb {
        options = List.copyOf(options);
        parameters = List.copyOf(parameters);
    }

    /** The command behind a verb. */
    interface Command {
        /**
         * Runs the verb.
         *
         * @param root the global options, the session and the output
         * @param line the parsed command line
         * @return the exit status
         * @throws UsageException if an argument is malformed
         */
        int run(RangeStreamsCommand root, ParsedCommandLine line) throws IOException, InterruptedException;
    }

    /** The usage line: {@code range-streams get [OPTIONS] URL...}. */
    String usage() {
        StringBuilder s = new StringBuilder(RangeStreamsCommand.NAME).append(' ').append(name);
        if (!options.isEmpty()) {
            s.append(" [OPTIONS]");
        }
        parameters.forEach(p -> s.append(' ').append(p.synopsis()));
        return s.toString();
    }
}
