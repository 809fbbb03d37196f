package io.rangestreams.cli;

import io.rangestreams.spi.ResourceVersion;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code FILE.cp-version}, beside a file {@code cp} is writing: the version (length, ETag,
 * Last-Modified) of the remote file it copies. A later {@code cp} resumes the partial file only if the
 * remote file is still that version, so a resume never appends bytes of another version. It is removed
 * when the copy completes.
 */
final class PartialCopy {

    private PartialCopy() {}

    /** The record's path for {@code file}. */
    static Path recordOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".cp-version");
    }

    /** The version a partial {@code file} was copied from; empty if there is no readable record. */
    static Optional<ResourceVersion> read(Path file) {
        Path record = recordOf(file);
        if (!Files.isRegularFile(record)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(record, StandardCharsets.UTF_8)) {
            p.load(r);
            return Optional.of(new ResourceVersion(Long.parseLong(p.getProperty("length", "-1")),
                    Optional.ofNullable(p.getProperty("etag")), Optional.ofNullable(p.getProperty("last-modified"))));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty(); // unreadable: as if the file came from elsewhere
        }
    }

    /** Records that {@code file} is being copied from {@code version}. */
    static void write(Path file, ResourceVersion version) throws IOException {
        Properties p = new Properties();
        p.setProperty("length", Long.toString(version.length()));
        version.etag().ifPresent(e -> p.setProperty("etag", e));
        version.lastModified().ifPresent(m -> p.setProperty("last-modified", m));
        try (Writer w = Files.newBufferedWriter(recordOf(file), StandardCharsets.UTF_8)) {
            p.store(w, "range-streams cp: the version " + file.getFileName() + " is a partial copy of");
        }
    }

    /** Removes the record, if any. */
    static void delete(Path file) throws IOException {
        Files.deleteIfExists(recordOf(file));
    }
}
