package io.rangestreams.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run the launcher records its start-up cache from (the JDK's AOT cache, or the class-data
 * archive before JDK 24): the commands people run most, each through {@link Main} as a command line
 * would run it, against a zip, a tar and a plain file served on 127.0.0.1. The cache then holds what
 * those commands load and link, whichever command comes first after a build. Output is discarded.
 *
 * <p>{@code java -XX:AOTMode=record -XX:AOTConfiguration=F -cp range-streams.jar io.rangestreams.cli.StartupTraining}
 */
public final class StartupTraining {

    private StartupTraining() {}

    /**
     * Runs the training commands; exits with status 1 naming the command that failed, if one does.
     *
     * @param args none
     * @throws IOException if the files cannot be written or served
     */
    public static void main(String[] args) throws IOException {
        Main.quietLogging(); // as Main.main does first
        OutOfMemoryReport.install(System.err);
        try {
            train();
        } catch (IllegalStateException e) {
            System.err.println("range-streams training: " + e.getMessage());
            System.exit(Main.EXIT_FAILURE);
        }
    }

    /** Runs the training commands; throws {@link IllegalStateException} naming the first that fails. */
    static void train() throws IOException {
        Path dir = Files.createTempDirectory("range-streams-training");
        try {
            DemoArchive.write(dir.resolve("demo.zip"));
            Files.write(dir.resolve("demo.tar"), TrainingTar.of(Map.of("README.txt", DemoArchive.TEXT,
                    "data/notes.txt", DemoArchive.TEXT.repeat(40))));
            try (StaticFileServer server = StaticFileServer.start(dir, 0)) {
                String zip = server.uri("demo.zip").toString();
                String tar = server.uri("demo.tar").toString();
                String out = dir.resolve("out.bin").toString();
                run("--version");
                run("help");
                run("help", "get");
                run("info", zip);
                run("ls", zip);
                run("ls", tar);
                run("cat", zip, DemoArchive.README);
                run("cat", tar, "README.txt");
                run("get", "--stats", "-r", "0-4095", "-r", "1000000-1004095", "-r", "3000000-3004095",
                        "-r", "6000000-6004095", zip, "-o", out);
                run("get", "-r", "-22", zip, "-o", out);
                run("get", tar, "-o", out);
                run("info", tar, zip);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(String... args) {
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        int status = new Main(OutputStream.nullOutputStream(), StandardCharsets.UTF_8, discard, Map.of()).execute(args);
        if (status != 0) {
            throw new IllegalStateException("'" + String.join(" ", args) + "' exited with " + status);
        }
    }
}
