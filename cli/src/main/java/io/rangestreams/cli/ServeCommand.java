package io.rangestreams.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code serve DIR [--port N]}: a range-capable static server on 127.0.0.1 until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the files under DIR on 127.0.0.1 with range support (206, 416, HEAD, ETag,"
                + " Last-Modified, content types from extensions) until Ctrl-C. 16 threads answer requests; a request"
                + " head must arrive within 10 s.")
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    private RangeStreamsCommand root;

    @Parameters(index = "0", paramLabel = "DIR", description = "The directory to serve.")
    private Path directory;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
            description = "The port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    private int port;

    @Override
    public Integer call() throws IOException, InterruptedException {
        var err = root.err();
        boolean log = root.verbose();
        StaticFileServer server = StaticFileServer.start(directory, port, line -> {
            if (log) {
                err.println(line);
            }
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "range-streams-serve-stop"));
        root.out().println("serving " + server.root() + " at http://127.0.0.1:" + server.port() + "/ (Ctrl-C to stop)");
        root.out().flush();
        stopped.await();
        return 0;
    }
}
