package io.rangestreams.tck.matrix;

import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.tck.RangeStreamContract;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The stream contract over every transport x store on the class path, each shown as {@code okhttp x mapdb}. */
@DisplayName("stream contract")
@ParameterizedClass(name = "{0}")
@MethodSource("combinations")
class StreamMatrixTest extends RangeStreamContract {

    @Parameter
    Backends.Combination combination;

    static List<Backends.Combination> combinations() {
        return Backends.combinations();
    }

    @Override
    protected RangeTransport newTransport() {
        return combination.transport().provider().create(TransportOptions.defaults());
    }

    @Override
    protected Optional<RangeTransport> configuredTransport(TransportOptions options) {
        return Optional.of(combination.transport().provider().create(options));
    }

    @Override
    protected RangeStore newStore(Path dir) throws IOException {
        return combination.store().open(dir);
    }

    @Override
    protected RangeStore newStore(Path dir, long maxBytes) throws IOException {
        return combination.store().open(dir, maxBytes);
    }
}
