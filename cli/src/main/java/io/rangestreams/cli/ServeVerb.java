package io.rangestreams.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code serve} verb: its arguments for the parser and the help, run by {@link ServeCommand}
 * (picocli-annotated), which only a {@code serve} loads.
 */
final class ServeVerb implements Verb.Command {

    static final CliOption PORT = CliOption.valued("N", "The port on 127.0.0.1; 0 picks a free one (default: 8080).",
            "--port");

    static final Verb VERB = new Verb("serve", "Serve a directory on 127.0.0.1 with range support.",
            "Serve the files under DIR on 127.0.0.1 with range support (206, 416, HEAD, ETag) until Ctrl-C.",
            List.of(PORT), List.of(CliParameter.one("DIR", "The directory to serve.")), ServeVerb::new);

    @Override
    public int run(RangeStreamsCommand root, ParsedCommandLine line) throws IOException {
        int port = line.intValue(PORT.key(), 8080, 0, 65_535);
        List<String> args = new ArrayList<>(List.of("serve", "--port", Integer.toString(port), "--"));
        args.add(line.positional(0));
        CommandLine parent = new CommandLine(CommandSpec.wrapWithoutInspection(root).name(RangeStreamsCommand.NAME));
        parent.addSubcommand("serve", new ServeCommand());
        Exception[] failure = new Exception[1];
        parent.setExecutionExceptionHandler((e, cmd, parsed) -> {
            failure[0] = e;
            return Main.EXIT_FAILURE;
        });
        int status = parent.execute(args.toArray(String[]::new));
        if (failure[0] instanceof IOException e) {
            throw e;
        }
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failure[0] != null) {
            throw new IOException(failure[0]);
        }
        return status;
    }
}
