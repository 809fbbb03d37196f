package io.rangestreams.tck.selftest;

import io.rangestreams.RangeSet;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeStoreProvider;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.RangeTransportProvider;
import io.rangestreams.spi.ResourceVersion;
import io.rangestreams.spi.StoreOptions;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.storage.memory.MemoryRangeStore;
import io.rangestreams.transport.jdk.JdkRangeTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Backends broken in how they are found, configured or cached, for the rules T14, T15, S5, S6 and
 * S15. Public, with public providers, because {@link java.util.ServiceLoader} instantiates them from
 * the services files {@link ExtraServices} writes.
 */
public final class BrokenProviders {

    private BrokenProviders() {}

    /** The real JDK transport under another name, so only the name can be wrong. */
    static class RenamedTransport implements RangeTransport {
        private final JdkRangeTransport delegate;
        private final String name;

        RenamedTransport(TransportOptions options, String name) {
            this.delegate = new JdkRangeTransport(options);
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public RangeResponse send(RangeRequest request) throws IOException {
            return delegate.send(request);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** Registered as {@code broken-misnamed}, but creates a transport named {@code broken-renamed}. */
    public static final class MisnamedTransportProvider implements RangeTransportProvider {
        /** Required by {@link java.util.ServiceLoader}. */
        public MisnamedTransportProvider() {}

        @Override
        public String name() {
            return "broken-misnamed";
        }

        @Override
        public RangeTransport create(TransportOptions options) {
            return new RenamedTransport(options, "broken-renamed");
        }
    }

    /** Sends every request with room for 64 connections, whatever the options allow. */
    static final class UnlimitedTransport extends RenamedTransport {
        UnlimitedTransport(TransportOptions options) {
            super(options.withMaxConnections(64), "broken-unlimited");
        }
    }

    /** The real memory store under another name, so only the name (or the provider) can be wrong. */
    static class RenamedStore implements RangeStore {
        final MemoryRangeStore delegate = new MemoryRangeStore();
        private final String name;

        RenamedStore(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Optional<ResourceVersion> version(String key) {
            return delegate.version(key);
        }

        @Override
        public boolean bind(String key, ResourceVersion version) {
            return delegate.bind(key, version);
        }

        @Override
        public RangeSet ranges(String key) {
            return delegate.ranges(key);
        }

        @Override
        public boolean write(String key, ResourceVersion version, long position, ByteBuffer src) {
            return delegate.write(key, version, position, src);
        }

        @Override
        public int read(String key, long position, ByteBuffer dst) {
            return delegate.read(key, position, dst);
        }

        @Override
        public void remove(String key) {
            delegate.remove(key);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** Registered as {@code broken-lenient}; opens a working store but ignores parameters it does not know. */
    public static final class LenientStoreProvider implements RangeStoreProvider {
        /** Required by {@link java.util.ServiceLoader}. */
        public LenientStoreProvider() {}

        @Override
        public String name() {
            return "broken-lenient";
        }

        @Override
        public RangeStore open(StoreOptions options) {
            return new RenamedStore("broken-lenient");
        }
    }

    /**
     * Caches each read's result by key, position and size and never invalidates it: a read after a
     * new version is bound, or after a write, returns what the same read returned before.
     */
    static final class CachingStore extends RenamedStore {
        private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

        CachingStore() {
            super("broken-caching");
        }

        @Override
        public int read(String key, long position, ByteBuffer dst) {
            byte[] bytes = cache.computeIfAbsent(key + "@" + position + "+" + dst.remaining(), k -> {
                ByteBuffer b = ByteBuffer.allocate(dst.remaining());
                int n = delegate.read(key, position, b);
                byte[] out = new byte[n];
                b.flip().get(out);
                return out;
            });
            dst.put(bytes);
            return bytes.length;
        }

        @Override
        public Set<Capability> capabilities() {
            return delegate.capabilities();
        }
    }
}
