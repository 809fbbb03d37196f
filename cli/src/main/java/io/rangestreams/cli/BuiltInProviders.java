package io.rangestreams.cli;

import io.rangestreams.format.conda.CondaStreamProvider;
import io.rangestreams.format.png.PngStreamProvider;
import io.rangestreams.format.tar.TarStreamProvider;
import io.rangestreams.format.zip.ZipStreamProvider;
import io.rangestreams.spi.RangeStoreProvider;
import io.rangestreams.spi.RangeStreamProvider;
import io.rangestreams.spi.RangeTransportProvider;
import io.rangestreams.storage.memory.MemoryRangeStoreProvider;
import io.rangestreams.transport.apache.ApacheRangeTransportProvider;
import io.rangestreams.transport.jdk.JdkRangeTransportProvider;
import java.util.List;
import java.util.Optional;

/**
 * The transports, the store and the format readers in the command line's own jar, made directly rather
 * than looked up with {@link java.util.ServiceLoader}: a lookup reads the index of every jar on the class
 * path, the largest single cost of a short command. Other transports and stores are looked up by name,
 * as the library does.
 */
final class BuiltInProviders {

    private BuiltInProviders() {}

    /** The provider of the transport of that name, if the command line's jar holds it. */
    static Optional<RangeTransportProvider> transport(String name) {
        return switch (name) {
            case "apache" -> Optional.of(new ApacheRangeTransportProvider());
            case "jdk" -> Optional.of(new JdkRangeTransportProvider());
            default -> Optional.empty();
        };
    }

    /** The format readers, in the order the formats module lists them as services. */
    static List<RangeStreamProvider<?>> formats() {
        return List.of(new ZipStreamProvider(), new TarStreamProvider(), new PngStreamProvider(),
                new CondaStreamProvider());
    }

    /** The provider of the store of that name, if the command line's jar holds it. */
    static Optional<RangeStoreProvider> store(String name) {
        return "memory".equals(name) ? Optional.of(new MemoryRangeStoreProvider()) : Optional.empty();
    }
}
