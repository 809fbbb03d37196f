package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeStoreProvider;
import io.rangestreams.spi.StoreOptions;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** S15: the store is found and opened the way {@code RangeClient} does it. */
abstract class StoreRegistrationRules extends StoreFixture {

    StoreRegistrationRules(RangeStoreContract contract) {
        super(contract);
    }

    private RangeStoreProvider provider(String name) {
        List<RangeStoreProvider> providers = ServiceLoader.load(RangeStoreProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        return providers.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no RangeStoreProvider named '" + name + "' in META-INF/services/"
                        + RangeStoreProvider.class.getName() + "; found "
                        + providers.stream().map(RangeStoreProvider::name).toList()));
    }

    @Test
    @DisplayName("S15 a provider of the store's name is registered and opens a working store of that name")
    final void providerIsRegisteredUnderItsName() throws IOException {
        StoreOptions options = storeOptions(dir().resolve("spec"));
        String name = open().name();
        assertThat(options.name()).as("%s: name in storeOptions(dir)", name).isEqualTo(name);
        RangeStore s = provider(name).open(options);
        contract.opened.add(s);
        assertThat(s.name()).as("%s: name of the store its provider opens from %s", name, options).isEqualTo(name);
        s.bind(KEY, V1);
        write(s, KEY, V1, 10, 500);
        assertThat(read(s, KEY, 10, 500)).as("%s: bytes through a store opened from %s", name, options)
                .isEqualTo(content(V1, 10, 500));
    }

    @Test
    @DisplayName("S15 an unknown spec parameter is rejected with IllegalArgumentException naming it")
    final void unknownParameterIsRejected() throws IOException {
        StoreOptions options = storeOptions(dir().resolve("spec"));
        Map<String, String> parameters = new HashMap<>(options.parameters());
        parameters.put("tckUnknownParameter", "1");
        StoreOptions unknown = new StoreOptions(options.name(), options.location(), parameters);
        RangeStoreProvider provider = provider(options.name());
        assertThatThrownBy(() -> contract.opened.add(provider.open(unknown)))
                .as("%s: opening %s", options.name(), unknown)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tckUnknownParameter");
    }
}
