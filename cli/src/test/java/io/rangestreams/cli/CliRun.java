package io.rangestreams.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One in-process run of the command line: {@link Main#execute} with captured standard output and
 * error, and an environment of the test's choosing.
 *
 * @param args the arguments, for assertion messages
 * @param status the exit status
 * @param out the bytes written to standard output
 * @param err what was written to standard error
 */
record CliRun(List<String> args, int status, byte[] out, String err) {

    /** Runs {@code args} with an empty environment. */
    static CliRun run(String... args) {
        return run(Map.of(), args);
    }

    /** Runs {@code args} with the given environment variables. */
    static CliRun run(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = new Main(out, StandardCharsets.UTF_8, e, environment).execute(args);
        }
        return new CliRun(List.of(args), status, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** Standard output as UTF-8 text. */
    String text() {
        return new String(out, StandardCharsets.UTF_8);
    }

    /** The lines of standard error. */
    List<String> errLines() {
        return err.isEmpty() ? List.of() : Arrays.asList(err.split("\\R"));
    }

    /** The last line of standard error, or "" if there is none. */
    String lastErrLine() {
        List<String> lines = errLines();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    /** A description for assertion messages. */
    String describe() {
        return "range-streams " + String.join(" ", args) + " (exit " + status + ", stderr: " + err.strip() + ")";
    }
}
