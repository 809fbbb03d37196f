package io.rangestreams.storage.mapdb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Java process started on this test's class path, running a main class of the test sources. Its
 * standard output is read line by line, so a test waits on what the child says, never on time.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final BufferedReader out;
    private final String mainClass;

    private ChildJvm(Process process, String mainClass) {
        this.process = process;
        this.mainClass = mainClass;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts {@code java -cp <this class path> mainClass args...}; its standard error is inherited. Its
     * temporary directory is {@code target/child-jvm-tmp}: MapDB's lz4 extracts a native library there
     * on every start, which a killed child cannot delete, and it should not pile up in the system's.
     */
    static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
        Path tmp = Files.createDirectories(Path.of("target", "child-jvm-tmp").toAbsolutePath());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djava.io.tmpdir=" + tmp);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new ChildJvm(p, mainClass.getSimpleName());
    }

    /**
     * Reads lines until one starts with {@code prefix} and returns it.
     *
     * @throws IOException if the child ends first
     */
    String awaitLine(String prefix) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IOException(mainClass + " ended (exit " + waitExit() + ") before printing a line starting with '"
                + prefix + "'");
    }

    /** Closes the child's standard input: the signal for a well-behaved child to finish. */
    void closeInput() throws IOException {
        process.getOutputStream().close();
    }

    /** Kills the child with SIGKILL and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Waits for the child to end and returns its exit status. */
    int waitExit() {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        out.close();
    }
}
