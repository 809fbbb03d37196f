package io.rangestreams.cli;

import io.rangestreams.RangeNotSatisfiableException;
import io.rangestreams.RangeStream;
import io.rangestreams.spi.RangeStreamProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the format of a resource among the command line's {@link RangeStreamProvider}s: by its file
 * name first, which costs nothing, then by its first bytes (one small request), so that listing a zip
 * named {@code *.zip} still takes the zip reader's own request count. A resource no reader takes is
 * named for what it is ({@code .tar.gz}, {@code .deb}, {@code .7z} ...) with the reason it cannot be
 * listed by ranges.
 */
final class FormatSniffer {

    /** Enough for every magic we know: tar's {@code ustar} sits at offset 257. */
    static final int HEAD_BYTES = 512;

    private FormatSniffer() {}

    /** The provider recognising the resource by its file name alone, if any. */
    static Optional<RangeStreamProvider<?>> byName(URI uri) {
        String name = fileName(uri);
        return BuiltInProviders.formats().stream()
                .filter(p -> p.recognises(name, ByteBuffer.allocate(0)))
                .findFirst();
    }

    /**
     * The provider for a resource: by name, else by its first bytes read through {@code probe}.
     *
     * @param accepted the formats the caller can handle, in order of preference
     * @throws IOException naming the resource and the formats looked for, if none recognises it
     */
    static RangeStreamProvider<?> detect(URI uri, RangeStream probe, List<String> accepted) throws IOException {
        List<RangeStreamProvider<?>> providers = BuiltInProviders.formats().stream()
                .filter(p -> accepted.contains(p.format()))
                .toList();
        if (providers.isEmpty()) {
            throw new IllegalStateException("no reader for " + String.join(" or ", accepted)
                    + " in the command line");
        }
        String name = fileName(uri);
        for (RangeStreamProvider<?> p : providers) {
            if (p.recognises(name, ByteBuffer.allocate(0))) {
                return p;
            }
        }
        ByteBuffer head = ByteBuffer.allocate(HEAD_BYTES);
        try {
            // A read, not a fetch: it brings the whole first block, which a tar reader scans next, and
            // learns the length from the same response (one request).
            while (head.hasRemaining() && probe.read(head.position(), head) > 0) {
                // until the buffer is full or the resource ends
            }
        } catch (RangeNotSatisfiableException empty) {
            // An empty resource: no format recognises zero bytes, reported below.
        }
        head.flip();
        for (RangeStreamProvider<?> p : providers) {
            if (p.recognises(name, head.duplicate())) {
                return p;
            }
        }
        Optional<String> why = Unlistable.explain(name, head.duplicate());
        if (why.isPresent()) {
            throw new IOException(uri + " is " + why.get());
        }
        for (RangeStreamProvider<?> p : BuiltInProviders.formats()) {
            if (!accepted.contains(p.format()) && p.recognises("", head.duplicate())) {
                throw new IOException(uri + " is a " + p.format() + " file (by its first bytes), neither "
                        + String.join(" nor ", accepted));
            }
        }
        throw new IOException(uri + " is neither " + String.join(" nor ", accepted)
                + " (by its name and its first " + head.limit() + " bytes)");
    }

    /**
     * Formats whose members cannot be listed with range requests, known by their magic bytes (first) or
     * their name, each with the reason, so that a user learns what the file is and what to do instead.
     */
    enum Unlistable {
        GZIP("gzip", bytes(0x1f, 0x8b), "tar -tzf -", ".gz", ".tgz"),
        BZIP2("bzip2", "BZh".getBytes(StandardCharsets.US_ASCII), "tar -tjf -", ".bz2", ".tbz2", ".tbz"),
        XZ("xz", bytes(0xfd, '7', 'z', 'X', 'Z', 0), "tar -tJf -", ".xz", ".txz"),
        ZSTD("zstd", bytes(0x28, 0xb5, 0x2f, 0xfd), "tar --zstd -tf -", ".zst", ".tzst"),
        LZ4("lz4", bytes(0x04, 0x22, 0x4d, 0x18), "lz4 -dc | tar -tf -", ".lz4"),
        LZIP("lzip", "LZIP".getBytes(StandardCharsets.US_ASCII), "tar --lzip -tf -", ".lz"),
        COMPRESS("compress", bytes(0x1f, 0x9d), "tar -tZf -", ".z", ".taz"),
        DEB("a Debian package, an ar archive", "!<arch>\ndebian-binary".getBytes(StandardCharsets.US_ASCII),
                "its files lie in a compressed data.tar member, which can only be decoded from its first byte, so"
                        + " they cannot be listed with range requests; download it (dpkg-deb -c FILE)",
                ".deb", ".udeb", ".ddeb"),
        AR("an ar archive", "!<arch>\n".getBytes(StandardCharsets.US_ASCII),
                "an ar archive has no index to read by ranges; range-streams lists zip and tar archives", ".a", ".ar"),
        RPM("an RPM package", bytes(0xed, 0xab, 0xee, 0xdb),
                "its files lie in a compressed cpio payload, which can only be decoded from its first byte, so they"
                        + " cannot be listed with range requests; download it (rpm -qlp FILE)", ".rpm"),
        SEVEN_ZIP("a 7-Zip archive", bytes('7', 'z', 0xbc, 0xaf, 0x27, 0x1c),
                "its index is itself compressed and range-streams has no 7-Zip reader; download it (7z l FILE)",
                ".7z"),
        RAR("a RAR archive", "Rar!\u001a\u0007".getBytes(StandardCharsets.US_ASCII),
                "range-streams has no RAR reader; download it (unrar l FILE)", ".rar"),
        CPIO("a cpio archive", "0707".getBytes(StandardCharsets.US_ASCII),
                "a cpio archive has no index to read by ranges; range-streams lists zip and tar archives", ".cpio");

        private final String what;
        private final byte[] magic;
        private final String reasonOrTarCommand;
        private final String[] suffixes;

        /**
         * @param what a compression's name, or what the file is
         * @param reasonOrTarCommand for a compression, the command that lists a tar so compressed from
         *     standard input; else the reason
         */
        Unlistable(String what, byte[] magic, String reasonOrTarCommand, String... suffixes) {
            this.what = what;
            this.magic = magic;
            this.reasonOrTarCommand = reasonOrTarCommand;
            this.suffixes = suffixes;
        }

        /** What the file is and why it cannot be listed, or empty when neither its bytes nor its name say. */
        static Optional<String> explain(String fileName, ByteBuffer head) {
            String lower = fileName.toLowerCase(Locale.ROOT);
            for (Unlistable u : values()) {
                if (u.matches(head)) {
                    return Optional.of(u.describe(lower) + " (by its first bytes): " + u.reason(lower));
                }
            }
            for (Unlistable u : values()) {
                for (String suffix : u.suffixes) {
                    if (lower.endsWith(suffix)) {
                        return Optional.of(u.describe(lower) + " (by its name " + suffix + "): " + u.reason(lower));
                    }
                }
            }
            return Optional.empty();
        }

        private boolean matches(ByteBuffer head) {
            if (head.remaining() < magic.length) {
                return false;
            }
            for (int i = 0; i < magic.length; i++) {
                if (head.get(head.position() + i) != magic[i]) {
                    return false;
                }
            }
            return true;
        }

        private boolean compressed() {
            return !what.contains(" ");
        }

        private String describe(String lowerName) {
            if (!compressed()) {
                return what;
            }
            return "a " + what + "-compressed " + (isTarName(lowerName) ? "tar archive" : "file");
        }

        private static boolean isTarName(String lowerName) {
            return lowerName.matches(".*\\.(tar\\.[a-z0-9]+|tgz|tbz2?|txz|tzst|taz)$");
        }

        private String reason(String lowerName) {
            if (!compressed()) {
                return reasonOrTarCommand;
            }
            return "a " + what + " stream has no index and can only be decoded from its first byte, so what it holds"
                    + " cannot be listed with range requests; download it whole (range-streams get URL"
                    + (isTarName(lowerName) ? " | " + reasonOrTarCommand : " -o FILE") + ")";
        }

        private static byte[] bytes(int... values) {
            byte[] b = new byte[values.length];
            for (int i = 0; i < values.length; i++) {
                b[i] = (byte) values[i];
            }
            return b;
        }
    }

    private static String fileName(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
