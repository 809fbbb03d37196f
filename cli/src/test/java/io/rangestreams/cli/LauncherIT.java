package io.rangestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.tck.RangeServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./range-streams}, the launcher at the repository root, on the jars {@code package} built: it picks
 * a java, records its start-up cache from the training run on first use, and runs the command with the
 * command line's jar on the class path, and the backends' jar too when the command names a transport or a
 * store. Each command must work whether or not the cache could be recorded.
 */
class LauncherIT {

    private static final Path LAUNCHER = Path.of("..", "range-streams").toAbsolutePath().normalize();

    @Test
    void theLauncherRunsVersionLsAndCatFromThePackagedJar(@TempDir Path dir) throws Exception {
        assertThat(LAUNCHER).as("the launcher beside the cli module").isExecutable();
        assertThat(run(dir, "--version")).as("./range-streams --version").isEqualTo("range-streams 0.1.0\n");
        try (RangeServer server = RangeServer.start()) {
            URI zip = server.add("/three.zip", zip());
            String listing = run(dir, "ls", zip.toString());
            assertThat(listing).as("./range-streams ls of a 3-member zip")
                    .contains("a.txt", "b/c.txt", "3 members, 15 bytes");
            assertThat(run(dir, "cat", zip.toString(), "b/c.txt")).as("./range-streams cat of a member").isEqualTo("third");
        }
    }

    @Test
    void aTransportOrStoreNamedOnTheCommandLineIsFoundInTheBackendsJar(@TempDir Path dir) throws Exception {
        try (RangeServer server = RangeServer.start()) {
            URI file = server.add("/f.bin", "0123456789".repeat(1000).getBytes(StandardCharsets.US_ASCII));
            String store = "mapdb:" + dir.resolve("cache.db");
            assertThat(run(dir, "--store", store, "get", file.toString(), "-r", "10-19"))
                    .as("get through the mapdb store, which only the backends' jar holds").isEqualTo("0123456789");
            assertThat(run(dir, "--store=" + store, "--stats", "get", file.toString(), "-r", "10-19"))
                    .as("the same range again, from the file the first run left").isEqualTo("0123456789");
            assertThat(Files.readString(dir.resolve("stderr"))).as("stats of the second run")
                    .contains("bytes_fetched=0", "bytes_from_store=10");
            assertThat(run(dir, "--transport", "okhttp", "--verbose", "get", file.toString(), "-r", "0-3"))
                    .as("get through the okhttp transport").isEqualTo("0123");
            assertThat(Files.readString(dir.resolve("stderr"))).as("what --verbose says was chosen")
                    .contains("transport okhttp");
        }
    }

    @Test
    void aCommandThatNamesNoBackendLooksNoServiceUpOnTheClassPath(@TempDir Path dir) throws Exception {
        run(dir, "--version"); // records the start-up cache first, if need be, without the log below
        try (RangeServer server = RangeServer.start()) {
            URI zip = server.add("/three.zip", zip());
            URI file = server.add("/f.bin", "0123456789".repeat(1000).getBytes(StandardCharsets.US_ASCII));
            for (List<String> args : List.of(List.of("ls", zip.toString()),
                    List.of("get", file.toString(), "-r", "0-3", "-r", "5000-5003", "-r", "9000-9003"))) {
                Path log = dir.resolve("class-init.log");
                Files.deleteIfExists(log);
                run(dir, Map.of("RANGESTREAMS_JAVA_OPTS", "-Xlog:class+init=info:file=" + log), args.toArray(String[]::new));
                String inits = Files.readString(log);
                assertThat(inits).as("classes initialized by %s", args).contains("io/rangestreams/cli/Main")
                        .doesNotContain("java/util/ServiceLoader$LazyClassPathLookupIterator")
                        .doesNotContain("java/util/logging/LogManager'");
            }
        }
    }

    private static String run(Path dir, String... args) throws IOException, InterruptedException {
        return run(dir, Map.of(), args);
    }

    private static String run(Path dir, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        Process p = builder.start();
        p.getOutputStream().close();
        // The first run after a build records the start-up cache: seconds, once.
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("%s finished", command).isTrue();
        assertThat(p.exitValue()).as("exit status of %s (stderr: %s)", command, Files.readString(err)).isZero();
        return Files.readString(out);
    }

    private static byte[] zip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (String[] member : new String[][] {{"a.txt", "first"}, {"b.txt", "secnd"}, {"b/c.txt", "third"}}) {
                z.putNextEntry(new ZipEntry(member[0]));
                z.write(member[1].getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
