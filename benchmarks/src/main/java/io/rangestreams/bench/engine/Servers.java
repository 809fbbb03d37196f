package io.rangestreams.bench.engine;

import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.tck.RangeServer;
import io.rangestreams.tck.RangeServer.RecordedRequest;

/** What the benchmarks share: a client per transport, and the server-side count of a run. */
final class Servers {

    static final long KIB = 1024;
    static final long MIB = 1024 * KIB;
    static final long GIB = 1024 * MIB;

    private Servers() {}

    /** A client on {@code transport} with a memory store of the given spec. */
    static RangeClient.Builder client(String transport, String storeSpec) {
        return RangeClient.builder().transport(transport).store(storeSpec);
    }

    /** One line: GETs, HEADs and body bytes the server sent for {@code path}, and the stream's stats. */
    static String count(RangeServer server, String path, RangeStream stream) {
        long gets = server.requests(path).stream().filter(r -> r.method().equals("GET")).count();
        long heads = server.requests(path).stream().filter(r -> r.method().equals("HEAD")).count();
        long bytes = server.requests(path).stream().mapToLong(RecordedRequest::bodyBytes).sum();
        return "server: GET=" + gets + " HEAD=" + heads + " bytes=" + bytes
                + (stream == null ? "" : " | " + stream.stats());
    }
}
