package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.RangeTransportProvider;
import java.io.IOException;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** T14: the transport is found the way {@code RangeClient} finds it. */
abstract class TransportRegistrationRules extends TransportFixture {

    TransportRegistrationRules(RangeTransportContract contract) {
        super(contract);
    }

    @Test
    @DisplayName("T14 a provider of the transport's name is registered and creates a working transport of that name")
    final void providerIsRegisteredUnderItsName() throws IOException {
        String name = transport().name();
        List<RangeTransportProvider> providers = ServiceLoader.load(RangeTransportProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        List<String> names = providers.stream().map(RangeTransportProvider::name).toList();
        RangeTransportProvider provider = providers.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no RangeTransportProvider named '" + name + "' in"
                        + " META-INF/services/" + RangeTransportProvider.class.getName() + "; found " + names));
        RangeTransport created = provider.create(defaultOptions());
        contract.opened.add(created);
        assertThat(created.name()).as("%s: name of the transport its provider creates", name).isEqualTo(name);
        Range r = Range.of(2_000, 3_000);
        assertThat(body(created.send(RangeRequest.get(uri(), r))))
                .as("%s: body of %s through a transport its provider created", name, r).isEqualTo(expected(r));
    }
}
