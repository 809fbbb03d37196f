package io.rangestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.tck.RangeServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command as a separate JVM ({@link CliProcess}). */
class ProcessTest {

    /** The result of one process. */
    record Result(List<String> command, int status, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : err.lines().toList();
        }

        String describe() {
            return String.join(" ", command.subList(command.indexOf(Main.class.getName()) + 1, command.size())) + " (exit " + status + ", stderr: "
                    + err.strip() + ")";
        }
    }

    private static List<String> command(String... args) {
        return CliProcess.command(List.of(), args);
    }

    private static Result run(Path dir, String... args) throws IOException, InterruptedException {
        return run(dir, List.of(), args);
    }

    static Result run(Path dir, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        return run(dir, dir.resolve("stdout").toFile(), jvmOptions, args);
    }

    /** Runs {@code args} with standard output into {@code stdout} (read back if it is a regular file). */
    static Result run(Path dir, File stdout, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = CliProcess.command(jvmOptions, args);
        Path err = dir.resolve("stderr");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("process finished: " + cmd).isTrue();
        String out = stdout.isFile() ? Files.readString(stdout.toPath()) : "";
        return new Result(cmd, p.exitValue(), out, Files.readString(err));
    }

    @Test
    void demoRunsOfflineInItsOwnJvm(@TempDir Path dir) throws Exception {
        Result r = run(dir, "demo", "--stats");
        assertThat(r.status()).as(r.describe()).isZero();
        assertThat(r.out()).as(r.describe()).contains("$ range-streams ls ", "images/noise.bin", "total: 3 requests");
        assertThat(r.errLines()).as(r.describe()).hasSize(1);
        assertThat(r.errLines().get(0)).as(r.describe()).matches("stats: requests=3 bytes_fetched=\\d+ bytes_from_store=\\d+");
    }

    @Test
    void notFoundIsOneLineOnStderrAndExitOne(@TempDir Path dir) throws Exception {
        try (RangeServer server = RangeServer.start()) {
            Result r = run(dir, "get", server.uri("/missing.zip").toString());
            assertThat(r.status()).as(r.describe()).isEqualTo(1);
            assertThat(r.errLines()).as(r.describe()).hasSize(1);
            assertThat(r.err()).as(r.describe()).startsWith("range-streams: not found: ").doesNotContain("\tat ");
            assertThat(r.out()).as("stdout of " + r.describe()).isEmpty();
        }
    }

    /**
     * Standard output into a file is buffered (not flushed per line or per {@code printf} piece) and
     * still holds every line at the end, in the charset the JVM gives {@code System.out}.
     */
    @Test
    void aLongListingReachesAFileWholeAndInTheRightCharset(@TempDir Path dir) throws Exception {
        Map<String, byte[]> members = new LinkedHashMap<>();
        for (int i = 0; i < 5_000; i++) {
            members.put(String.format(Locale.ROOT, "data/member-%05d.txt", i), ("member " + i).getBytes(StandardCharsets.UTF_8));
        }
        members.put("données/résumé.txt", "é".getBytes(StandardCharsets.UTF_8));
        try (RangeServer server = RangeServer.start()) {
            URI zip = server.add("/many.zip", TestArchives.zip(members));
            Result r = run(dir, List.of("-Dfile.encoding=UTF-8"), "ls", zip.toString());
            assertThat(r.status()).as(r.describe()).isZero();
            List<String> lines = r.out().lines().toList();
            assertThat(lines).as(r.describe()).hasSize(members.size() + 2);
            assertThat(lines.get(1)).endsWith("data/member-00000.txt");
            assertThat(lines.get(members.size())).endsWith("  données/résumé.txt");
            assertThat(lines.get(members.size() + 1)).startsWith(members.size() + " members, ");
        }
    }

    @Test
    void usageErrorExitsTwo(@TempDir Path dir) throws Exception {
        Result r = run(dir, "get", "--range", "x", "http://127.0.0.1/");
        assertThat(r.status()).as(r.describe()).isEqualTo(2);
        assertThat(r.errLines()).as(r.describe()).hasSize(1);
    }

    @Test
    void serveAnswersRangesUntilStopped(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("hello.txt"), "hello over http\n");
        Process p = new ProcessBuilder(command("serve", root.toString(), "--port", "0"))
                .redirectError(dir.resolve("serve.err").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertThat(first).as("first line of serve").startsWith("serving ").contains("http://127.0.0.1:");
            String base = first.substring(first.indexOf("http://"), first.indexOf('/', first.indexOf("http://") + 7) + 1);
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(base + "hello.txt")).header("Range", "bytes=6-9").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("status from serve").isEqualTo(206);
            assertThat(r.body()).as("body from serve").isEqualTo("over");
        } finally {
            p.destroy();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("serve stops on SIGTERM").isTrue();
        }
    }
}
