package io.rangestreams.format;

import io.rangestreams.RangeClient;
import io.rangestreams.tck.RangeServer;
import io.rangestreams.tck.RangeServer.RecordedRequest;
import java.util.List;
import java.util.Random;

/** Test fixtures shared by the format tests: deterministic content and a fresh client. */
public final class Archives {

    private Archives() {}

    /** Incompressible deterministic bytes. */
    public static byte[] noise(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Compressible deterministic text of about {@code size} bytes. */
    public static byte[] text(String word, int size) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < size; i++) {
            sb.append(word).append(' ').append(i).append('\n');
        }
        return sb.substring(0, size).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A client over the JDK transport and a fresh memory store, with default tuning. */
    public static RangeClient client() {
        return RangeClient.builder().transport("jdk").store("memory").build();
    }

    /** The requests the server got for {@code path}, described for assertion messages. */
    public static String describe(RangeServer server, String path) {
        List<RecordedRequest> requests = server.requests(path);
        StringBuilder sb = new StringBuilder();
        for (RecordedRequest r : requests) {
            sb.append(r.method()).append(' ').append(r.range().orElse("-")).append(" -> ").append(r.status())
                    .append(" (").append(r.bodyBytes()).append(" bytes); ");
        }
        return requests.size() + " requests: " + sb;
    }
}
