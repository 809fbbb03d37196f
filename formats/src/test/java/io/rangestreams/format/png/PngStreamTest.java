package io.rangestreams.format.png;

import static io.rangestreams.format.Archives.client;
import static io.rangestreams.format.Archives.describe;
import static io.rangestreams.format.Archives.noise;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.RangeClient;
import io.rangestreams.tck.RangeServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PngStreamTest {

    private static RangeServer server;
    private static byte[] png;
    private RangeClient client;

    @BeforeAll
    static void start() throws IOException {
        server = RangeServer.start();
        BufferedImage image = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 300; x++) {
                image.setRGB(x, y, (x * 7 + y * 13) * 0x010203 & 0xffffff);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        png = out.toByteArray();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void newClient() {
        client = client();
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    @Test
    void givesTheHeaderFromTheFirstRequest() throws IOException {
        URI uri = server.add("/header.png", png);
        try (PngStream stream = client.open(uri, PngStream.class)) {
            PngHeader h = stream.header();
            assertThat(h).as("IHDR of /header.png").isEqualTo(new PngHeader(300, 200, 8, 2, 0, 0, 0));
            assertThat(h.colourTypeName()).as("colour type of /header.png").isEqualTo("truecolour");
            assertThat(stream.stats().requests()).as("requests: " + describe(server, "/header.png")).isEqualTo(1);
            assertThat(server.requests("/header.png")).as("requests the server got: " + describe(server, "/header.png"))
                    .hasSize(1);
        }
    }

    @Test
    void listsChunksAndChecksTheirCrcOnDemand() throws IOException {
        URI uri = server.add("/chunks.png", png);
        try (PngStream stream = client.open(uri, PngStream.class)) {
            List<PngChunk> chunks = stream.chunks();
            assertThat(chunks).as("chunks of /chunks.png").extracting(PngChunk::type).startsWith("IHDR").contains("IDAT")
                    .endsWith("IEND");
            assertThat(chunks.get(0).offset()).as("offset of IHDR").isEqualTo(8);
            assertThat(chunks.get(0).length()).as("length of IHDR").isEqualTo(13);
            for (PngChunk c : chunks) {
                assertThat(c.crcValid()).as("CRC of " + c).isTrue();
            }
        }
        byte[] corrupt = png.clone();
        corrupt[8 + 8 + 13 + 4 + 8 + 3] ^= 0x1; // inside the data of the chunk after IHDR
        URI bad = server.add("/corrupt.png", corrupt);
        try (PngStream stream = client.open(bad, PngStream.class)) {
            PngChunk second = stream.chunks().get(1);
            assertThat(stream.crcValid(second)).as("CRC of the corrupted " + second).isFalse();
        }
    }

    @Test
    void decodesTheImage() throws IOException {
        URI uri = server.add("/decode.png", png);
        try (PngStream stream = client.open(uri, PngStream.class)) {
            BufferedImage image = stream.decode();
            assertThat(image.getWidth()).as("decoded width").isEqualTo(300);
            assertThat(image.getRGB(17, 42) & 0xffffff).as("pixel (17, 42)")
                    .isEqualTo((17 * 7 + 42 * 13) * 0x010203 & 0xffffff);
        }
    }

    @Test
    void rejectsWhatIsNotAPng() throws IOException {
        URI uri = server.add("/noise.png", noise(1, 1000));
        try (PngStream stream = client.open(uri, PngStream.class)) {
            assertThatThrownBy(stream::header).as("header of noise served as /noise.png")
                    .isInstanceOf(IOException.class).hasMessageContaining("not a PNG");
        }
    }

    @Test
    void aWrongIhdrLengthIsNamed() throws IOException {
        byte[] bad = png.clone();
        bad[11] = 14; // the IHDR length field, big-endian at offset 8
        URI uri = server.add("/ihdr-length.png", bad);
        try (PngStream stream = client.open(uri, PngStream.class)) {
            assertThatThrownBy(stream::header).as("header of a PNG whose IHDR says 14 bytes")
                    .isInstanceOf(IOException.class).hasMessageContaining("IHDR").hasMessageContaining("14")
                    .hasMessageContaining("13").hasMessageContaining(uri.toString());
        }
    }

    @Test
    void aFirstChunkOtherThanIhdrIsNamed() throws IOException {
        byte[] bad = png.clone();
        bad[12] = 'X';
        URI uri = server.add("/first-chunk.png", bad);
        try (PngStream stream = client.open(uri, PngStream.class)) {
            assertThatThrownBy(stream::header).as("header of a PNG whose first chunk is XHDR")
                    .isInstanceOf(IOException.class).hasMessageContaining("'XHDR'");
        }
    }
}
