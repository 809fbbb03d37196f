package io.rangestreams.tck;

import com.sun.net.httpserver.HttpExchange;
import io.rangestreams.Range;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes {@link RangeServer}'s responses: the status line and headers, then a body as the active
 * {@link Fault}s shape it (cut short, reset, too long, slow, held at a gate, gzip-encoded), or a multipart
 * body for several ranges.
 */
final class BodyWriter {

    private static final int CHUNK = 64 * 1024;

    private final FaultSchedule faults;

    BodyWriter(FaultSchedule faults) {
        this.faults = faults;
    }

    int sendBody(HttpExchange ex, ServedResource res, int version, String path, int status, Range r, boolean gzip,
            List<Fault> active, LoggedRequest written) throws IOException {
        long length = r.length();
        long cutAfter = -1;
        boolean reset = false;
        boolean chunked = FaultSchedule.has(active, Fault.NoContentLength.class)
                || FaultSchedule.has(active, Fault.EndlessBody.class);
        int extra = 0;
        Fault.SlowBody slow = null;
        Fault.Gate gate = null;
        for (Fault f : active) {
            if (f instanceof Fault.TruncateBody t && faults.take(path, f)) {
                cutAfter = t.afterBytes();
                chunked = true;
            } else if (f instanceof Fault.ResetConnection c && faults.take(path, f)) {
                cutAfter = c.afterBytes();
                reset = true;
            } else if (f instanceof Fault.LongerBody l && status == 206) {
                extra = l.extra();
            } else if (f instanceof Fault.SlowBody s) {
                slow = s;
            } else if (f instanceof Fault.Gate g) {
                gate = g;
            }
        }
        if (gzip) {
            return sendGzip(ex, res, version, status, r, written);
        }
        sendHeaders(ex, status, chunked ? 0 : length + extra);
        OutputStream os = ex.getResponseBody();
        // A slow body's chunks may be larger than the usual buffer (they were cut off with an error).
        byte[] buf = new byte[slow != null ? Math.max(CHUNK, slow.chunkBytes()) : CHUNK];
        long pos = r.start();
        long sent = 0;
        long toSend = cutAfter >= 0 ? Math.min(cutAfter, length) : length;
        try {
            boolean gateDone = gate == null;
            long gateAt = gate == null ? 0 : Math.min(gate.afterBytes(), toSend);
            while (sent < toSend || !gateDone) {
                if (!gateDone && sent >= gateAt) {
                    gateDone = true;
                    os.flush();
                    gate.reached().countDown();
                    awaitGate(gate);
                    continue;
                }
                long untilGate = gateDone ? Long.MAX_VALUE : gateAt - sent;
                int n = (int) Math.min(Math.min(slow != null ? slow.chunkBytes() : buf.length, toSend - sent),
                        untilGate);
                res.fill(version, pos, buf, n);
                written.bodyBytes = sent + n;
                if (sent + n == toSend && gateDone && extra == 0 && !reset) {
                    written.answered();
                }
                os.write(buf, 0, n);
                if (slow != null) {
                    os.flush();
                    sleep(slow.pause().toMillis());
                }
                pos += n;
                sent += n;
            }
            if (reset) {
                os.flush();
                // Abandon the exchange with bytes missing: the server drops the connection.
                throw new IOException("injected connection reset after " + sent + " bytes");
            }
            for (int i = 0; i < extra; i++) {
                written.bodyBytes++;
                os.write(0x5a);
            }
            written.answered();
            os.close();
        } catch (IOException e) {
            // Client went away or a reset was injected; closing the exchange drops the connection.
            ex.close();
        }
        return status;
    }

    private static int sendGzip(HttpExchange ex, ServedResource res, int version, int status, Range r,
            LoggedRequest written) throws IOException {
        byte[] plain = new byte[(int) Math.min(r.length(), Integer.MAX_VALUE - 8)];
        res.fill(version, r.start(), plain, plain.length);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(bytes)) {
            z.write(plain);
        }
        ex.getResponseHeaders().set("Content-Encoding", "gzip");
        byte[] body = bytes.toByteArray();
        sendHeaders(ex, status, body.length);
        written.bodyBytes = body.length;
        written.answered();
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
        return status;
    }

    static int sendMultipart(HttpExchange ex, ServedResource res, int version, List<Range> ranges, List<Fault> active,
            LoggedRequest written) throws IOException {
        Fault.BadMultipart.Flaw flaw = active.stream().filter(Fault.BadMultipart.class::isInstance)
                .map(f -> ((Fault.BadMultipart) f).flaw()).findFirst().orElse(null);
        String boundary = "range-server-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int cut = -1;
        for (int i = 0; i < ranges.size(); i++) {
            Range r = ranges.get(i);
            if (i == 1 && flaw == Fault.BadMultipart.Flaw.SHIFTED_PART) {
                long s = Math.min(res.length - r.length(), r.stop());
                r = Range.of(s, s + r.length());
            }
            long total = flaw == Fault.BadMultipart.Flaw.WRONG_TOTAL ? res.length + 1 : res.length;
            String head = "\r\n--" + boundary + "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes "
                    + r.start() + "-" + (r.stop() - 1) + "/" + total + "\r\n\r\n";
            body.write(head.getBytes(StandardCharsets.US_ASCII));
            boolean longer = i == 1 && flaw == Fault.BadMultipart.Flaw.LONGER_PART && r.stop() < res.length;
            byte[] part = new byte[(int) r.length() + (longer ? 1 : 0)];
            res.fill(version, r.start(), part, part.length);
            if (i == 1 && flaw == Fault.BadMultipart.Flaw.CUT_MID_PART) {
                cut = body.size() + part.length / 2;
            }
            body.write(part);
        }
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        ex.getResponseHeaders().set("Content-Type", flaw == Fault.BadMultipart.Flaw.NO_BOUNDARY
                ? "multipart/byteranges" : "multipart/byteranges; boundary=" + boundary);
        byte[] bytes = body.toByteArray();
        int length = cut >= 0 ? cut : bytes.length;
        // A cut body goes chunked, so it ends cleanly where it is cut.
        sendHeaders(ex, 206, cut >= 0 ? 0 : length);
        written.bodyBytes = length;
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes, 0, length);
        }
        return 206;
    }

    /**
     * Sends the status line and headers, having set the logged status first (on the request the exchange's
     * attribute names: the JDK server may share attributes between the exchanges of one context).
     */
    static void sendHeaders(HttpExchange ex, int status, long length) throws IOException {
        LoggedRequest.of(ex).status = status;
        ex.sendResponseHeaders(status, length);
    }

    static int sendText(HttpExchange ex, int status, String text) throws IOException {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        sendHeaders(ex, status, body.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
        return status;
    }

    /** The latency a {@code SlowBody} or {@code Latency} fault simulates: the wait is the fault itself. */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitGate(Fault.Gate gate) throws IOException {
        try {
            gate.release().await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("server closed while a gate held the body", e);
        }
    }
}
