package io.rangestreams.internal;

import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeStoreProvider;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.RangeTransportProvider;
import io.rangestreams.spi.StoreOptions;
import io.rangestreams.spi.TransportOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The transport and the store a client is built with: those given as instances, else selected by
 * {@link ProviderSelection} and created. Everything is selected before anything is opened, and a store
 * that fails to open closes the transport made for it.
 *
 * @param transport the transport
 * @param store the store
 */
public record ClientParts(RangeTransport transport, RangeStore store) {

    /**
     * Selects, creates and opens the parts.
     *
     * @param transportInstance the transport given, if any
     * @param transportProvider the provider given to create the transport with, if any
     * @param transportName the transport named, if any
     * @param storeInstance the store given, if any
     * @param storeSpec the store spec given, if any
     * @param transportOptions the options of a transport created by name
     * @param environment the environment variables consulted for selection
     * @throws IllegalArgumentException for an unknown transport or store name or a malformed spec
     * @throws IllegalStateException if none or several are found and none is named
     * @throws UncheckedIOException if the store cannot be opened
     */
    public static ClientParts open(Optional<RangeTransport> transportInstance,
            Optional<RangeTransportProvider> transportProvider, Optional<String> transportName,
            Optional<RangeStore> storeInstance, Optional<String> storeSpec, TransportOptions transportOptions,
            Map<String, String> environment) {
        if (storeInstance.isPresent()) {
            return new ClientParts(transport(transportInstance, transportProvider, transportName, transportOptions,
                    environment), storeInstance.get());
        }
        StoreOptions spec = storeSpec.or(() -> ProviderSelection.configuredStoreSpec(environment))
                .map(StoreOptions::parse)
                .orElse(null);
        RangeStoreProvider provider = ProviderSelection.store(Optional.ofNullable(spec).map(StoreOptions::name));
        // Selection happens before anything is opened, so a bad transport name changes nothing.
        RangeTransport t = transport(transportInstance, transportProvider, transportName, transportOptions,
                environment);
        try {
            return new ClientParts(t, openStore(provider, spec != null ? spec : StoreOptions.of(provider.name())));
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /**
     * Opens a store of {@code provider}.
     *
     * @throws UncheckedIOException naming the spec if it cannot be opened
     */
    public static RangeStore openStore(RangeStoreProvider provider, StoreOptions spec) {
        try {
            return provider.open(spec);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open store " + spec + ": " + e.getMessage(), e);
        }
    }

    private static RangeTransport transport(Optional<RangeTransport> instance,
            Optional<RangeTransportProvider> provider, Optional<String> name, TransportOptions options,
            Map<String, String> environment) {
        return instance.orElseGet(() -> provider.orElseGet(() -> ProviderSelection.transport(name, environment))
                .create(options));
    }
}
