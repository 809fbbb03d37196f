package io.rangestreams.tck;

import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeStoreProvider;
import io.rangestreams.spi.ResourceVersion;
import io.rangestreams.spi.StoreOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance rules S1 to S15 of {@link RangeStore} (stated in its javadoc), for one store
 * implementation. Certify a store with a three-line subclass in your test sources:
 *
 * <pre>{@code
 * class MyStoreContractTest extends RangeStoreContract {
 *     @Override protected RangeStore newStore(Path dir) { return new MyRangeStore(dir.resolve("cache")); }
 * }
 * }</pre>
 *
 * <p>Override {@link #newStore(Path, long)} as well if the store can be bounded, so rule S8 runs; a
 * rule the store does not declare a {@link RangeStore.Capability capability} for is reported as
 * skipped with the reason. Test methods are final: a rule cannot be overridden away.
 *
 * <p>Rule S15 opens the store through its {@link RangeStoreProvider}, found with {@link ServiceLoader}
 * as {@code RangeClient} finds it: register it in {@code META-INF/services}, and override
 * {@link #storeOptions(Path)} if the store needs a location or parameters. A store must pass this
 * contract and {@link RangeStreamContract} (with a certified transport) alike: some faults show in
 * one only.
 */
public abstract class RangeStoreContract {

    /** A fresh directory for the store's files, one per test. */
    @TempDir
    protected Path dir;

    /** What the rules opened in the current test; closed after it. */
    final List<RangeStore> opened = new ArrayList<>();

    /**
     * A store whose files (if any) live under {@code dir}. Called again with the same directory after
     * the first store was closed, a {@link RangeStore.Capability#PERSISTENT} store must hold the same
     * data (rule S9).
     */
    protected abstract RangeStore newStore(Path dir) throws IOException;

    /**
     * A store holding at most {@code maxBytes}, declaring {@link RangeStore.Capability#BOUNDED}. The
     * default returns {@link #newStore(Path)}, and rule S8 is skipped unless that store declares
     * {@code BOUNDED}.
     */
    protected RangeStore newStore(Path dir, long maxBytes) throws IOException {
        return newStore(dir);
    }

    /**
     * The options that open this store through its provider, with any files under {@code dir} (rule
     * S15). The default is the store's name alone ({@code memory}); a store that needs a location
     * returns it, as {@code StoreOptions.parse("mapdb:" + dir.resolve("cache.db"))}.
     */
    protected StoreOptions storeOptions(Path dir) throws IOException {
        try (RangeStore s = newStore(dir.resolve("name"))) {
            return StoreOptions.of(s.name());
        }
    }

    /** The bytes tests write at {@code position} of a resource: deterministic, computable anywhere. */
    protected static byte[] content(ResourceVersion v, long position, int length) {
        byte[] b = new byte[length];
        RangeServer.fill(v.etag().orElse("").hashCode(), position, b, length);
        return b;
    }

    @AfterEach
    final void closeStores() throws IOException {
        for (RangeStore s : opened) {
            s.close();
        }
    }

    /** S1 to S4: what is written is what is read, and {@code ranges()} tells the truth. */
    @Nested
    @DisplayName("S1-S4, S13 bytes and ranges")
    class BytesAndRanges extends StoreBytesAndRangesRules {
        BytesAndRanges() {
            super(RangeStoreContract.this);
        }
    }

    /** S5 to S7: versions and keys. */
    @Nested
    @DisplayName("S5-S7 versions and keys")
    class VersionsAndKeys extends StoreVersionsAndKeysRules {
        VersionsAndKeys() {
            super(RangeStoreContract.this);
        }
    }

    /** S15: the store is found and opened the way {@code RangeClient} does it. */
    @Nested
    @DisplayName("S15 registration")
    class Registration extends StoreRegistrationRules {
        Registration() {
            super(RangeStoreContract.this);
        }
    }

    /** S8 and S9: the optional capabilities. */
    @Nested
    @DisplayName("S8, S9, S14 capabilities")
    class Capabilities extends StoreCapabilitiesRules {
        Capabilities() {
            super(RangeStoreContract.this);
        }
    }

    /** S10 to S12: concurrency, lifecycle and bad input. */
    @Nested
    @DisplayName("S10-S12 concurrency and lifecycle")
    class ConcurrencyAndLifecycle extends StoreConcurrencyAndLifecycleRules {
        ConcurrencyAndLifecycle() {
            super(RangeStoreContract.this);
        }
    }
}
