package io.rangestreams.internal;

import io.rangestreams.Range;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory stand-in for the network: serves one resource of deterministic bytes with correct
 * {@code 206}, {@code Content-Range}, {@code ETag} and {@code If-Range}, answers scripted statuses first,
 * records every request, and can hold responses until a latch opens.
 */
final class FakeTransport implements RangeTransport {

    private final byte[] content;
    private volatile String etag = "\"v1\"";
    private final Deque<Integer> statuses = new ConcurrentLinkedDeque<>();
    private final List<RangeRequest> requests = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch gate;
    private volatile int cutAfter = -1; // the next 206 body ends after this many bytes

    FakeTransport(int length) {
        content = new byte[length];
        for (int i = 0; i < length; i++) {
            content[i] = byteAt(i);
        }
    }

    static byte byteAt(long offset) {
        return (byte) (offset * 31 + (offset >>> 8));
    }

    byte[] expected(Range r) {
        return java.util.Arrays.copyOfRange(content, (int) r.start(), (int) r.stop());
    }

    /** The next GETs are answered with these statuses, in order, before any is served. */
    void answer(int... status) {
        for (int s : status) {
            statuses.add(s);
        }
    }

    /** Responses wait for {@code latch} before they are given. */
    void holdUntil(CountDownLatch latch) {
        gate = latch;
    }

    /** The next 206 body ends after {@code bytes} bytes, short of its range. */
    void cutNextBodyAfter(int bytes) {
        cutAfter = bytes;
    }

    /** The resource changes: a new ETag (its bytes stay the same). */
    void change() {
        etag = "\"v2\"";
    }

    List<RangeRequest> requests() {
        return List.copyOf(requests);
    }

    List<String> rangeHeaders() {
        List<String> out = new ArrayList<>();
        for (RangeRequest r : requests) {
            out.add(r.method() + " " + r.rangeHeader().orElse("-"));
        }
        return out;
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public RangeResponse send(RangeRequest request) throws IOException {
        requests.add(request);
        CountDownLatch latch = gate;
        if (latch != null) {
            try {
                if (!latch.await(5, TimeUnit.MINUTES)) {
                    throw new IOException("gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        URI uri = request.uri();
        String length = Integer.toString(content.length);
        if (request.method().equals("HEAD")) {
            String ifNoneMatch = request.headers().get("If-None-Match");
            if (etag.equals(ifNoneMatch)) {
                return response(304, uri, Map.of("ETag", List.of(etag)), new byte[0]);
            }
            return response(200, uri, Map.of("ETag", List.of(etag), "Content-Length", List.of(length)), new byte[0]);
        }
        Integer status = statuses.poll();
        if (status != null) {
            return response(status, uri, Map.of(), new byte[0]);
        }
        String ifRange = request.headers().get("If-Range");
        if (request.ranges().isEmpty() || ifRange != null && !ifRange.equals(etag)) {
            return response(200, uri, Map.of("ETag", List.of(etag), "Content-Length", List.of(length)), content);
        }
        Range asked = request.ranges().get(0).resolve(content.length);
        Range r = Range.of(asked.start(), Math.min(asked.stop(), content.length));
        byte[] body = expected(r);
        int cut = cutAfter;
        if (cut >= 0) {
            cutAfter = -1;
            body = java.util.Arrays.copyOf(body, Math.min(cut, body.length));
        }
        return response(206, uri, Map.of("ETag", List.of(etag), "Content-Length", List.of(Long.toString(r.length())),
                "Content-Range", List.of("bytes " + r.start() + "-" + (r.stop() - 1) + "/" + content.length)), body);
    }

    private static RangeResponse response(int status, URI uri, Map<String, List<String>> headers, byte[] body) {
        InputStream in = new ByteArrayInputStream(body);
        return new RangeResponse(status, uri, headers, in);
    }

    @Override
    public void close() {}
}
