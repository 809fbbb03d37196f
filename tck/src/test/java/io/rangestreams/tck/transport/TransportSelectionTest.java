package io.rangestreams.tck.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.tck.RangeServer;
import io.rangestreams.transport.apache.ApacheRangeTransportProvider;
import io.rangestreams.transport.okhttp.OkHttpRangeTransportProvider;
import io.rangestreams.spi.RangeTransportProvider;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With all three transports on the class path, the system property {@code rangestreams.transport} or the
 * environment variable {@code RANGESTREAMS_TRANSPORT} chooses one without code changes.
 */
class TransportSelectionTest {

    private static final String PROPERTY = "rangestreams.transport";
    private String saved;

    @BeforeEach
    void saveProperty() {
        saved = System.getProperty(PROPERTY);
        System.clearProperty(PROPERTY);
    }

    @AfterEach
    void restoreProperty() {
        if (saved == null) {
            System.clearProperty(PROPERTY);
        } else {
            System.setProperty(PROPERTY, saved);
        }
    }

    private static String chosen(Map<String, String> env) {
        try (RangeClient client = RangeClient.builder().store("memory").environment(env).build()) {
            return client.transport().name();
        }
    }

    @Test
    void allThreeTransportsAreRegistered() {
        TreeSet<String> names = new TreeSet<>();
        for (RangeTransportProvider p : ServiceLoader.load(RangeTransportProvider.class)) {
            names.add(p.name());
        }
        assertThat(names).as("registered transport providers").containsExactly("apache", "jdk", "okhttp");
    }

    @ParameterizedTest(name = "-Drangestreams.transport={0}")
    @ValueSource(strings = {"apache", "okhttp", "jdk"})
    void theSystemPropertyChoosesTheTransport(String name) {
        System.setProperty(PROPERTY, name);
        assertThat(chosen(Map.of())).as("transport chosen by -D%s=%s", PROPERTY, name).isEqualTo(name);
    }

    @ParameterizedTest(name = "RANGESTREAMS_TRANSPORT={0}")
    @ValueSource(strings = {"apache", "okhttp", "jdk"})
    void theEnvironmentVariableChoosesTheTransport(String name) {
        assertThat(chosen(Map.of("RANGESTREAMS_TRANSPORT", name)))
                .as("transport chosen by RANGESTREAMS_TRANSPORT=%s", name).isEqualTo(name);
    }

    @Test
    void theSystemPropertyWinsOverTheEnvironment() {
        System.setProperty(PROPERTY, "apache");
        assertThat(chosen(Map.of("RANGESTREAMS_TRANSPORT", "okhttp")))
                .as("transport chosen by -D%s=apache with RANGESTREAMS_TRANSPORT=okhttp", PROPERTY)
                .isEqualTo("apache");
    }

    @Test
    void anUnknownNameFailsListingTheAvailableNames() {
        System.setProperty(PROPERTY, "carrier-pigeon");
        Supplier<String> build = () -> chosen(Map.of());
        assertThatThrownBy(build::get).as("building with -D%s=carrier-pigeon", PROPERTY)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("carrier-pigeon")
                .hasMessageContaining("apache, jdk, okhttp");
    }

    @ParameterizedTest(name = "transport(new {0}) with -Drangestreams.transport=jdk")
    @ValueSource(classes = {ApacheRangeTransportProvider.class, OkHttpRangeTransportProvider.class})
    void aProviderGivenToTheBuilderMakesTheTransportWithTheBuildersOptions(Class<? extends RangeTransportProvider> type)
            throws Exception {
        System.setProperty(PROPERTY, "jdk");
        RangeTransportProvider provider = type.getConstructor().newInstance();
        byte[] bytes = new byte[100_000];
        new Random(3).nextBytes(bytes);
        try (RangeServer server = RangeServer.start();
                RangeClient client = RangeClient.builder().transport(provider).store("memory")
                        .environment(Map.of("RANGESTREAMS_TRANSPORT", "jdk"))
                        .header("X-Asked-By", "selection-test").build();
                RangeStream stream = client.open(server.add("/f.bin", bytes))) {
            assertThat(client.transport().name()).as("transport made by the %s given, over the property and"
                    + " the variable", type.getSimpleName()).isEqualTo(provider.name());
            assertThat(stream.read(Range.of(5_000, 5_100))).as("bytes 5000-5099 through %s", provider.name())
                    .isEqualTo(Arrays.copyOfRange(bytes, 5_000, 5_100));
            assertThat(server.requests()).as("requests through %s", provider.name())
                    .allSatisfy(r -> assertThat(r.header("X-Asked-By")).as("the builder's header")
                            .contains("selection-test"));
        }
    }

    @Test
    void severalTransportsWithNoneNamedFailSayingWhatToSet() {
        Supplier<String> build = () -> chosen(Map.of());
        assertThatThrownBy(build::get).as("building with three transports and none named")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apache, jdk, okhttp")
                .hasMessageContaining("-Drangestreams.transport")
                .hasMessageContaining("RANGESTREAMS_TRANSPORT");
    }
}
