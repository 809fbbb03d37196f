package io.rangestreams.tck.selftest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Runs code with more {@code META-INF/services} registrations visible to {@link java.util.ServiceLoader}
 * through the thread's context class loader, so the self-test can register broken providers for one
 * run without adding them to every test's class path.
 */
final class ExtraServices {

    private ExtraServices() {}

    /** Runs {@code action} with each service interface of {@code services} also provided by its class. */
    static <T> T with(Map<Class<?>, Class<?>> services, Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("tck-services");
            Path meta = Files.createDirectories(dir.resolve("META-INF/services"));
            for (Map.Entry<Class<?>, Class<?>> e : services.entrySet()) {
                Files.writeString(meta.resolve(e.getKey().getName()), e.getValue().getName() + "\n");
            }
            try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, before)) {
                thread.setContextClassLoader(loader);
                return action.get();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("registering " + services.values() + " for the self-test", e);
        } finally {
            thread.setContextClassLoader(before);
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory of a few bytes is harmless.
        }
    }
}
