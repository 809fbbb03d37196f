package io.rangestreams.tck.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.RangeStreamException;
import io.rangestreams.spi.TlsTrust;
import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Trust from a PEM file (what {@code --cacert} gives), end to end through a client, over every transport. */
class TlsTrustTest {

    private static final String PATH = "/secure.bin";

    private RangeServer server;
    private URI uri;

    @BeforeEach
    void start() throws IOException {
        server = RangeServer.startHttps();
        server.add(PATH, 200_000);
        uri = server.httpsUri(PATH);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Nested
    class FromPem {

        @ParameterizedTest
        @EnumSource(TransportKind.class)
        void aStreamReadsOverHttpsWithTheCertificateOfAPemFile(TransportKind kind, @TempDir Path dir) throws IOException {
            Path pem = Files.writeString(dir.resolve("ca.pem"), server.certificatePem(), StandardCharsets.US_ASCII);
            try (RangeClient client = RangeClient.builder().transport(kind.providerName()).store("memory")
                    .trust(TlsTrust.fromPem(pem)).build(); RangeStream stream = client.open(uri)) {
                assertThat(stream.read(Range.of(150_000, 160_000))).as("%s: bytes of %s trusting %s", kind, uri, pem)
                        .isEqualTo(server.expected(PATH, Range.of(150_000, 160_000)));
                assertThat(stream.length()).as("%s: length over https", kind).isEqualTo(200_000);
            }
        }

        @ParameterizedTest
        @EnumSource(TransportKind.class)
        void withoutTrustAReadFailsWithOneLineNamingTheHost(TransportKind kind) throws IOException {
            try (RangeClient client = RangeClient.builder().transport(kind.providerName()).store("memory").retries(0)
                    .build(); RangeStream stream = client.open(uri)) {
                assertThatThrownBy(() -> stream.read(Range.of(0, 10))).as("%s: a read of %s without trust", kind, uri)
                        .isInstanceOf(RangeStreamException.class)
                        .hasMessageContaining("TLS with 127.0.0.1:" + server.httpsPort() + " failed")
                        .hasMessageContaining("not trusted")
                        .satisfies(e -> assertThat(e.getMessage()).as("%s: the message", kind).doesNotContain("\n"));
            }
        }
    }

    @Nested
    class BadFiles {

        @Test
        void aMissingFileIsNamed(@TempDir Path dir) {
            Path missing = dir.resolve("missing.pem");
            assertThatThrownBy(() -> TlsTrust.fromPem(missing)).as("trust from a missing file")
                    .isInstanceOf(NoSuchFileException.class).hasMessageContaining(missing.toString());
        }

        @Test
        void aFileWithoutACertificateIsNamed(@TempDir Path dir) throws IOException {
            Path empty = Files.writeString(dir.resolve("empty.pem"), "no certificate here\n");
            assertThatThrownBy(() -> TlsTrust.fromPem(empty)).as("trust from a file without a certificate")
                    .isInstanceOf(IOException.class).hasMessageContaining(empty.toString());
        }
    }
}
