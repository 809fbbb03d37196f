package io.rangestreams.tck.transport;

import io.rangestreams.Range;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A {@link RangeServer} per test holding one resource, and the bundled transport a test class runs for. */
abstract class TransportBehaviourFixture {

    static final String PATH = "/data.bin";
    static final long LENGTH = 1_000_003;

    final TransportKind kind;
    RangeServer server;
    URI uri;

    TransportBehaviourFixture(TransportKind kind) {
        this.kind = kind;
    }

    @BeforeEach
    void startServer() throws IOException {
        server = RangeServer.start();
        uri = server.add(PATH, LENGTH);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    RangeTransport transport() {
        return kind.create(TransportKind.options());
    }

    static byte[] body(RangeResponse response) throws IOException {
        try (response; InputStream in = response.body()) {
            return in.readAllBytes();
        }
    }

    byte[] expected(Range range) {
        return server.expected(PATH, range);
    }

    static URI closedPortUri() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        return URI.create("http://127.0.0.1:" + port + PATH);
    }
}
