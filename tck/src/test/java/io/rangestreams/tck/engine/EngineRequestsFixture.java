package io.rangestreams.tck.engine;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.storage.memory.MemoryRangeStore;
import io.rangestreams.tck.RangeServer.RecordedRequest;
import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Request counts and bytes of the engine's planning, seen from the server (transport jdk unless a test
 * says otherwise, memory store): a {@link RangeServer} per test and the checked reads the tests share.
 */
abstract class EngineRequestsFixture {

    static final int KIB = 1024;
    static final int MIB = 1024 * KIB;

    RangeServer server;

    @BeforeEach
    void start() throws IOException {
        server = RangeServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static RangeClient client(UnaryOperator<RangeClient.Builder> tuning) {
        return tuning.apply(RangeClient.builder().transport("jdk").store(new MemoryRangeStore())).build();
    }

    List<RecordedRequest> gets(String path) {
        return server.requests(path).stream().filter(r -> r.method().equals("GET")).toList();
    }

    long getBytes(String path) {
        return gets(path).stream().mapToLong(RecordedRequest::bodyBytes).sum();
    }

    /**
     * Reads {@code path} start to end through {@code inputStream()} in 64 KiB reads, checking every
     * read's bytes against the server's, and returns how many were read.
     */
    long readAllChecked(RangeClient client, URI uri, String path) throws IOException {
        try (RangeStream stream = client.open(uri); InputStream in = stream.inputStream()) {
            return readChecked(in, path, 0, Long.MAX_VALUE);
        }
    }

    /**
     * Reads {@code in}, which is at {@code from} in {@code path}, on to {@code until} (or its end) in
     * reads of up to 64 KiB, checking each read's bytes against the server's; returns where it got.
     */
    long readChecked(InputStream in, String path, long from, long until) throws IOException {
        byte[] buffer = new byte[64 * KIB];
        long pos = from;
        int n;
        while (pos < until && (n = in.read(buffer, 0, (int) Math.min(buffer.length, until - pos))) > 0) {
            if (!Arrays.equals(Arrays.copyOf(buffer, n), server.expected(path, Range.of(pos, pos + n)))) {
                throw new AssertionError("bytes " + Range.of(pos, pos + n) + " of " + path + " differ from the resource's");
            }
            pos += n;
        }
        return pos;
    }
}
