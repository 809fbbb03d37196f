package io.rangestreams.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command as a separate JVM: {@code java -cp <test class path> io.rangestreams.cli.Main}. The test
 * class path, not the shaded jar, because {@code mvn verify} runs tests before {@code package}.
 */
final class CliProcess {

    private CliProcess() {}

    /** The command line running {@code args}, with the given JVM options. */
    static List<String> command(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts {@code args} with standard output piped to the test and standard error into {@code err}. */
    static Process startPiped(File err, String... args) throws IOException {
        return new ProcessBuilder(command(List.of(), args)).redirectError(err).start();
    }
}
