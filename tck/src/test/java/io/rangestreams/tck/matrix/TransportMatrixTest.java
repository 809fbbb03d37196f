package io.rangestreams.tck.matrix;

import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.tck.RangeTransportContract;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The transport contract over every transport on the class path, over http and again over https. */
@DisplayName("transport contract")
@ParameterizedClass(name = "{0}")
@MethodSource("transports")
class TransportMatrixTest extends RangeTransportContract {

    @Parameter
    Backends.Transport transport;

    static List<Backends.Transport> transports() {
        return Backends.transports();
    }

    @Override
    protected RangeTransport newTransport() {
        return transport.provider().create(TransportOptions.defaults());
    }

    @Override
    protected Optional<RangeTransport> configuredTransport(TransportOptions options) {
        return Optional.of(transport.provider().create(options));
    }

    /** The same transport's contract over https, against a self-signed certificate given as trust. */
    @Nested
    @DisplayName("over https")
    class OverHttps extends RangeTransportContract {

        @Override
        protected boolean overHttps() {
            return true;
        }

        @Override
        protected RangeTransport newTransport() {
            return TransportMatrixTest.this.newTransport();
        }

        @Override
        protected Optional<RangeTransport> configuredTransport(TransportOptions options) {
            return TransportMatrixTest.this.configuredTransport(options);
        }
    }
}
