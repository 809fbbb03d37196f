package io.rangestreams.cli;

import java.io.PrintStream;
import java.util.List;

/** The help of the command and of each verb, wrapped to 100 columns. */
final class HelpText {

    private static final int WIDTH = 100;

    private HelpText() {}

    /** {@code range-streams --help}: usage, the verbs, the global options, the footer. */
    static void root(PrintStream out, List<Verb> verbs, List<CliOption> globals, List<String> footer) {
        out.println("Usage: " + RangeStreamsCommand.NAME + " [OPTIONS] VERB [ARGUMENTS]");
        paragraph(out, RangeStreamsCommand.DESCRIPTION, "");
        out.println();
        out.println("Verbs:");
        int width = verbs.stream().mapToInt(v -> v.name().length()).max().orElse(0);
        for (Verb v : verbs) {
            item(out, v.name(), width, v.summary());
        }
        out.println();
        out.println("Options (before or after the verb):");
        options(out, globals);
        out.println();
        footer.forEach(line -> paragraph(out, line, ""));
        out.println("'" + RangeStreamsCommand.NAME + " help VERB' shows a verb's options.");
    }

    /** {@code range-streams help VERB}: its usage, what it does, its options and parameters. */
    static void verb(PrintStream out, Verb verb) {
        out.println("Usage: " + verb.usage());
        paragraph(out, verb.description(), "");
        if (!verb.parameters().isEmpty()) {
            out.println();
            int width = verb.parameters().stream().mapToInt(p -> p.label().length()).max().orElse(0);
            verb.parameters().forEach(p -> item(out, p.label(), width, p.description()));
        }
        if (!verb.options().isEmpty()) {
            out.println();
            out.println("Options:");
            options(out, verb.options());
        }
        out.println();
        out.println("Global options (--transport, --store, --cacert, --stats, --verbose): see '"
                + RangeStreamsCommand.NAME + " help'.");
    }

    private static void options(PrintStream out, List<CliOption> options) {
        int width = options.stream().mapToInt(o -> o.synopsis().length()).max().orElse(0);
        options.forEach(o -> item(out, o.synopsis(), width, o.description()));
    }

    private static void item(PrintStream out, String term, int width, String text) {
        String indent = " ".repeat(width + 4);
        String first = "  " + term + " ".repeat(width - term.length() + 2);
        List<String> lines = wrap(text, WIDTH - indent.length());
        for (int i = 0; i < lines.size(); i++) {
            out.println((i == 0 ? first : indent) + lines.get(i));
        }
    }

    private static void paragraph(PrintStream out, String text, String indent) {
        wrap(text, WIDTH - indent.length()).forEach(l -> out.println(indent + l));
    }

    /** Greedy word wrap; a word longer than the width stays whole on its own line. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split("\\s+")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
