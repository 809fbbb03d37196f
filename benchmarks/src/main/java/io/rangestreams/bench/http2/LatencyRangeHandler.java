package io.rangestreams.bench.http2;

import io.rangestreams.Range;
import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A Jetty handler serving one resource of RangeServer's generated content (any length, no disk) with single
 * ranges answered {@code 206}, each answer held back by a fixed latency; the benchmarks run it in the tck's
 * {@code JettyHttp2Server} (HTTP/2 and HTTP/1.1 over TLS, counting requests and connections).
 */
final class LatencyRangeHandler extends Handler.Abstract {

    private static final Pattern SINGLE_RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private final long length;
    private final Duration latency;

    LatencyRangeHandler(long length, Duration latency) {
        this.length = length;
        this.latency = latency;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        // The simulated network latency the benchmark measures HTTP/2 and HTTP/1.1 against.
        Thread.sleep(latency.toMillis());
        answer(request, response, callback, length);
        return true;
    }

    private static void answer(Request request, Response response, Callback callback, long length) throws IOException {
        response.getHeaders().put(HttpHeader.ACCEPT_RANGES, "bytes");
        response.getHeaders().put(HttpHeader.ETAG, "\"bench-" + length + "\"");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        String header = request.getHeaders().get(HttpHeader.RANGE);
        Matcher m = header == null ? null : SINGLE_RANGE.matcher(header.trim());
        Range r = Range.of(0, length);
        int status = 200;
        if (m != null && m.matches() && Long.parseLong(m.group(1)) < length) {
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? length - 1 : Math.min(length - 1, Long.parseLong(m.group(2)));
            r = Range.of(first, last + 1);
            status = 206;
            response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes " + first + "-" + last + "/" + length);
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, r.length());
        if (HttpMethod.HEAD.is(request.getMethod())) {
            response.write(true, null, callback);
            return;
        }
        if (r.length() > 64 << 20) {
            throw new IOException("the benchmark server answers at most 64 MiB at once, was asked " + r);
        }
        byte[] body = new byte[(int) r.length()];
        RangeServer.fill(11, r.start(), body, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
