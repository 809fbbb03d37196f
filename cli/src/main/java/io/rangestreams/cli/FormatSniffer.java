package io.rangestreams.cli;

import io.rangestreams.RangeNotSatisfiableException;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.spi.RangeStreamProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * Finds the format of a resource among the {@link RangeStreamProvider}s on the class path: by its file
 * name first, which costs nothing, then by its first bytes (one small request), so that listing a zip
 * named {@code *.zip} still takes the zip reader's own request count.
 */
final class FormatSniffer {

    /** Enough for every magic we know: tar's {@code ustar} sits at offset 257. */
    static final int HEAD_BYTES = 512;

    private FormatSniffer() {}

    /** The provider recognising the resource by its file name alone, if any. */
    static Optional<RangeStreamProvider<?>> byName(URI uri) {
        String name = fileName(uri);
        return RangeClient.formatProviders().stream()
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
        List<RangeStreamProvider<?>> providers = RangeClient.formatProviders().stream()
                .filter(p -> accepted.contains(p.format()))
                .toList();
        if (providers.isEmpty()) {
            throw new IllegalStateException("no reader for " + String.join(" or ", accepted)
                    + " on the class path (add range-streams-formats)");
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
        throw new java.io.IOException(uri + " is neither " + String.join(" nor ", accepted)
                + " (by its name and its first " + head.limit() + " bytes)");
    }

    private static String fileName(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
