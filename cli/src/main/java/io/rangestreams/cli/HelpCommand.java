package io.rangestreams.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/** {@code help [VERB]}: the command's help, or one verb's. */
final class HelpCommand implements Verb.Command {

    static final Verb VERB = new Verb("help", "Show the help, or a verb's: help VERB.",
            "Show the command's help, or with VERB, that verb's usage, options and parameters.", List.of(),
            List.of(new CliParameter("VERB", "The verb to explain.", 0, 1)), HelpCommand::new);

    @Override
    public int run(RangeStreamsCommand root, ParsedCommandLine line) {
        Optional<Verb> verb = Optional.empty();
        if (!line.positionals().isEmpty()) {
            String name = line.positional(0);
            verb = Optional.of(RangeStreamsCommand.parser().verb(name).orElseThrow(() -> line.usageError(
                    "unknown verb '" + name + "'")));
        }
        show(root.out(), verb);
        return 0;
    }

    /** Prints the help of {@code verb}, or the command's if empty. */
    static void show(PrintStream out, Optional<Verb> verb) {
        if (verb.isPresent()) {
            HelpText.verb(out, verb.get());
        } else {
            HelpText.root(out, RangeStreamsCommand.VERBS, RangeStreamsCommand.GLOBALS, RangeStreamsCommand.FOOTER);
        }
    }
}
