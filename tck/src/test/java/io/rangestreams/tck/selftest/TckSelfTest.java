package io.rangestreams.tck.selftest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectNestedClass;

import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeStoreProvider;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.RangeTransportProvider;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.tck.RangeStoreContract;
import io.rangestreams.storage.memory.MemoryRangeStore;
import io.rangestreams.tck.RangeTransportContract;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The TCK tests itself: each deliberately broken backend of {@link BrokenBackends} is certified in
 * a nested JUnit run, and the rule written for its fault must fail.
 */
class TckSelfTest {

    /** A transport certified by the contract, made by {@code transport} with default or given options. */
    abstract static class TransportCertification extends RangeTransportContract {
        private final Function<TransportOptions, RangeTransport> transport;

        TransportCertification(Function<TransportOptions, RangeTransport> transport) {
            this.transport = transport;
        }

        @Override
        protected RangeTransport newTransport() {
            return transport.apply(TransportOptions.defaults());
        }

        @Override
        protected Optional<RangeTransport> configuredTransport(TransportOptions options) {
            return Optional.of(transport.apply(options));
        }
    }

    @ExtendWith(OnlyWhenSelfTesting.class)
    static class WholeBodyTransportCertification extends TransportCertification {
        WholeBodyTransportCertification() {
            super(BrokenBackends.WholeBodyTransport::new);
        }
    }

    @ExtendWith(OnlyWhenSelfTesting.class)
    static class TruncatingTransportCertification extends TransportCertification {
        TruncatingTransportCertification() {
            super(BrokenBackends.TruncatingTransport::new);
        }
    }

    @ExtendWith(OnlyWhenSelfTesting.class)
    static class UnstatedBodyReadingTransportCertification extends TransportCertification {
        UnstatedBodyReadingTransportCertification() {
            super(BrokenBackends.UnstatedBodyReadingTransport::new);
        }
    }

    @ExtendWith(OnlyWhenSelfTesting.class)
    static class DecompressingTransportCertification extends TransportCertification {
        DecompressingTransportCertification() {
            super(BrokenBackends.DecompressingTransport::new);
        }
    }

    @ExtendWith(OnlyWhenSelfTesting.class)
    static class DroppingFillTransportCertification extends TransportCertification {
        DroppingFillTransportCertification() {
            super(BrokenBackends.DroppingFillTransport::new);
        }
    }

    @ExtendWith(OnlyWhenSelfTesting.class)
    static class ForgetfulStoreCertification extends RangeStoreContract {
        @Override
        protected RangeStore newStore(Path dir) {
            return new BrokenBackends.ForgetfulStore(Long.MAX_VALUE);
        }

        @Override
        protected RangeStore newStore(Path dir, long maxBytes) {
            return new BrokenBackends.ForgetfulStore(maxBytes);
        }
    }

    @ExtendWith(OnlyWhenSelfTesting.class)
    static class StaleStoreCertification extends RangeStoreContract {
        @Override
        protected RangeStore newStore(Path dir) {
            return new BrokenBackends.StaleStore();
        }
    }

    /**
     * Runs one group of a certification and returns the display names of the tests that failed,
     * after checking that the group's tests did run.
     */
    private static List<String> failedRules(Class<?> certification, Class<?> contract, String group) {
        return failedRules(certification, contract, group, Map.of());
    }

    /** As above, with {@code services} registered for {@link java.util.ServiceLoader} during the run. */
    private static List<String> failedRules(Class<?> certification, Class<?> contract, String group,
            Map<Class<?>, Class<?>> services) {
        Events events = ExtraServices.with(services, () -> EngineTestKit.engine("junit-jupiter")
                .configurationParameter(OnlyWhenSelfTesting.PARAMETER, "true")
                .configurationParameter("junit.jupiter.execution.timeout.default", "5 m")
                .selectors(selectNestedClass(List.of(certification.getName()), contract.getName() + "$" + group))
                .execute()
                .testEvents());
        assertThat(events.started().count()).as("tests of %s run for %s", group, certification.getSimpleName())
                .isPositive();
        return events.failed().stream().map(e -> e.getTestDescriptor().getDisplayName()).toList();
    }

    @Test
    void transportReturningTheWholeBodyFailsT1() {
        assertThat(failedRules(WholeBodyTransportCertification.class, RangeTransportContract.class,
                "RequestsAndResponses")).as("failed rules of a transport that returns the whole body for a range")
                .anySatisfy(name -> assertThat(name).startsWith("T1 "));
    }

    @Test
    void transportTruncatingSilentlyFailsT1() {
        assertThat(failedRules(TruncatingTransportCertification.class, RangeTransportContract.class,
                "RequestsAndResponses")).as("failed rules of a transport that cuts bodies after 100 bytes")
                .anySatisfy(name -> assertThat(name).startsWith("T1 "));
    }

    @Test
    void transportNotStatingItsBodyReadingFailsT12() {
        assertThat(failedRules(UnstatedBodyReadingTransportCertification.class, RangeTransportContract.class,
                "BodyReadings"))
                .as("failed rules of a transport whose bodyReading() is null")
                .anySatisfy(name -> assertThat(name).startsWith("T12 "));
    }

    @Test
    void transportDecompressingGzipFailsT6() {
        assertThat(failedRules(DecompressingTransportCertification.class, RangeTransportContract.class,
                "HeadersAndEncoding")).as("failed rules of a transport that asks for gzip and decompresses")
                .anySatisfy(name -> assertThat(name).startsWith("T6 "));
    }

    @Test
    void transportWhoseFillDropsTheBytesBeforeAFailureFailsT13() {
        assertThat(failedRules(DroppingFillTransportCertification.class, RangeTransportContract.class, "FillingBodies"))
                .as("failed rules of a transport whose fill throws at once, dropping the bytes before a failure")
                .anySatisfy(name -> assertThat(name).startsWith("T13 a body reset"))
                .anySatisfy(name -> assertThat(name).startsWith("T13 a body stalled"))
                .noneSatisfy(name -> assertThat(name).startsWith("T13 fill gives"));
    }

    @Test
    void storeClaimingLostRangesFailsS8() {
        assertThat(failedRules(ForgetfulStoreCertification.class, RangeStoreContract.class, "Capabilities"))
                .as("failed rules of a bounded store whose ranges() keeps evicted ranges")
                .anySatisfy(name -> assertThat(name).startsWith("S8 "));
    }

    @Test
    void storeServingStaleBytesFailsS5() {
        assertThat(failedRules(StaleStoreCertification.class, RangeStoreContract.class, "VersionsAndKeys"))
                .as("failed rules of a store that keeps old bytes when a new version is bound")
                .anySatisfy(name -> assertThat(name).startsWith("S5 "));
    }

    @Test
    void honestBackendsPassTheSameGroups() {
        assertThat(failedRules(HonestCertification.class, RangeTransportContract.class, "RequestsAndResponses"))
                .as("failed rules of the real JDK transport (control)").isEmpty();
        assertThat(failedRules(HonestCertification.class, RangeTransportContract.class, "FillingBodies"))
                .as("failed T13 rules of the real JDK transport (control)").isEmpty();
    }

    @ExtendWith(OnlyWhenSelfTesting.class)
    static class UnregisteredTransportCertification extends TransportCertification {
        UnregisteredTransportCertification() {
            super(options -> new BrokenProviders.RenamedTransport(options, "broken-unregistered"));
        }
    }

    @ExtendWith(OnlyWhenSelfTesting.class)
    static class MisnamedTransportCertification extends TransportCertification {
        MisnamedTransportCertification() {
            super(options -> new BrokenProviders.RenamedTransport(options, "broken-misnamed"));
        }
    }

    @ExtendWith(OnlyWhenSelfTesting.class)
    static class UnlimitedTransportCertification extends TransportCertification {
        UnlimitedTransportCertification() {
            super(BrokenProviders.UnlimitedTransport::new);
        }
    }

    @ExtendWith(OnlyWhenSelfTesting.class)
    static class UnregisteredStoreCertification extends RangeStoreContract {
        @Override
        protected RangeStore newStore(Path dir) {
            return new BrokenProviders.RenamedStore("broken-unregistered");
        }
    }

    @ExtendWith(OnlyWhenSelfTesting.class)
    static class LenientStoreCertification extends RangeStoreContract {
        @Override
        protected RangeStore newStore(Path dir) {
            return new BrokenProviders.RenamedStore("broken-lenient");
        }
    }

    @ExtendWith(OnlyWhenSelfTesting.class)
    static class CachingStoreCertification extends RangeStoreContract {
        @Override
        protected RangeStore newStore(Path dir) {
            return new BrokenProviders.CachingStore();
        }
    }

    @ExtendWith(OnlyWhenSelfTesting.class)
    static class HonestStoreCertification extends RangeStoreContract {
        @Override
        protected RangeStore newStore(Path dir) {
            return new MemoryRangeStore();
        }
    }

    @Test
    void transportWithoutAProviderFailsT14() {
        assertThat(failedRules(UnregisteredTransportCertification.class, RangeTransportContract.class, "Registration"))
                .as("failed rules of a transport no provider is registered for")
                .anySatisfy(name -> assertThat(name).startsWith("T14 "));
    }

    @Test
    void transportWhoseProviderCreatesAnotherNameFailsT14() {
        assertThat(failedRules(MisnamedTransportCertification.class, RangeTransportContract.class, "Registration",
                Map.of(RangeTransportProvider.class, BrokenProviders.MisnamedTransportProvider.class)))
                .as("failed rules of a transport whose provider creates a transport of another name")
                .anySatisfy(name -> assertThat(name).startsWith("T14 "));
    }

    @Test
    void transportIgnoringMaxConnectionsFailsT15() {
        assertThat(failedRules(UnlimitedTransportCertification.class, RangeTransportContract.class, "ConnectionLimit"))
                .as("failed rules of a transport that opens 64 connections whatever maxConnections says")
                .anySatisfy(name -> assertThat(name).startsWith("T15 "));
    }

    @Test
    void storeWithoutAProviderFailsS15() {
        assertThat(failedRules(UnregisteredStoreCertification.class, RangeStoreContract.class, "Registration"))
                .as("failed rules of a store no provider is registered for")
                .anySatisfy(name -> assertThat(name).startsWith("S15 a provider"));
    }

    @Test
    void storeIgnoringUnknownParametersFailsS15() {
        assertThat(failedRules(LenientStoreCertification.class, RangeStoreContract.class, "Registration",
                Map.of(RangeStoreProvider.class, BrokenProviders.LenientStoreProvider.class)))
                .as("failed rules of a store whose provider ignores parameters it does not know")
                .anySatisfy(name -> assertThat(name).startsWith("S15 an unknown spec parameter"))
                .noneSatisfy(name -> assertThat(name).startsWith("S15 a provider"));
    }

    @Test
    void storeCachingReadsAcrossBindAndWriteFailsS5AndS6() {
        assertThat(failedRules(CachingStoreCertification.class, RangeStoreContract.class, "VersionsAndKeys"))
                .as("failed rules of a store whose read cache survives bind and write")
                .anySatisfy(name -> assertThat(name).startsWith("S5 "))
                .anySatisfy(name -> assertThat(name).startsWith("S6 "));
    }

    @Test
    void honestBackendsPassTheRegistrationAndLimitRules() {
        assertThat(failedRules(HonestCertification.class, RangeTransportContract.class, "Registration"))
                .as("failed T14 rules of the real JDK transport (control)").isEmpty();
        assertThat(failedRules(HonestCertification.class, RangeTransportContract.class, "ConnectionLimit"))
                .as("failed T15 rules of the real JDK transport (control)").isEmpty();
        assertThat(failedRules(HonestStoreCertification.class, RangeStoreContract.class, "Registration"))
                .as("failed S15 rules of the real memory store (control)").isEmpty();
        assertThat(failedRules(HonestStoreCertification.class, RangeStoreContract.class, "VersionsAndKeys"))
                .as("failed S5-S7 rules of the real memory store (control)").isEmpty();
    }

    @ExtendWith(OnlyWhenSelfTesting.class)
    static class HonestCertification extends TransportCertification {
        HonestCertification() {
            super(io.rangestreams.transport.jdk.JdkRangeTransport::new);
        }
    }
}
