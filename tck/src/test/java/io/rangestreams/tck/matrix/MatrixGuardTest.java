package io.rangestreams.tck.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Fails when a bundled backend is missing from the class path (say, a lost services file), instead of
 * letting the matrix shrink silently. Update the expected names when a backend is added.
 */
class MatrixGuardTest {

    @Test
    void discoversEveryBundledTransport() {
        assertThat(Backends.transports()).as("transports found by ServiceLoader on the tck test class path")
                .map(Backends.Transport::toString).containsExactlyInAnyOrder("jdk", "okhttp", "apache");
    }

    @Test
    void discoversEveryBundledStore() {
        assertThat(Backends.stores()).as("stores found by ServiceLoader on the tck test class path")
                .map(Backends.Store::toString).containsExactlyInAnyOrder("memory", "mapdb", "redis");
    }

    @Test
    void matrixHasEveryCombination() {
        assertThat(Backends.combinations()).as("transport x store combinations of the stream matrix")
                .map(Backends.Combination::toString)
                .containsExactlyInAnyOrder("apache x mapdb", "apache x memory", "apache x redis", "jdk x mapdb",
                        "jdk x memory", "jdk x redis", "okhttp x mapdb", "okhttp x memory", "okhttp x redis");
    }
}
