package io.rangestreams.tck;

import static io.rangestreams.tck.BodyWriter.sendHeaders;
import static io.rangestreams.tck.BodyWriter.sendText;
import static io.rangestreams.tck.FaultSchedule.has;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.rangestreams.Range;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides {@link RangeServer}'s answer to one request: redirects, signatures, validators and conditional
 * requests, the status and the range to send, each as the path's {@link Fault}s bend them.
 */
final class RangeResponder {

    private final RangeServer server;
    private final FaultSchedule faults;
    private final BodyWriter bodies;

    RangeResponder(RangeServer server, FaultSchedule faults) {
        this.server = server;
        this.faults = faults;
        this.bodies = new BodyWriter(faults);
    }

    /** Answers the exchange; returns the status sent. */
    int answer(HttpExchange ex, String method, String rawPath, Optional<String> rangeHeader, LoggedRequest written)
            throws IOException {
        String path = rawPath.startsWith("/redirected/") ? rawPath.substring("/redirected".length()) : rawPath;
        List<Fault> active = faults.active(path);
        Headers out = ex.getResponseHeaders();
        for (Fault f : active) {
            if (f instanceof Fault.Latency l) {
                BodyWriter.sleep(l.delay().toMillis());
            }
        }
        int localPort = ex.getLocalAddress().getPort();
        boolean overHttps = server.isHttpsPort(localPort);
        if (!rawPath.startsWith("/redirected/") && (localPort == server.port() || overHttps)) {
            for (Fault f : active) {
                // https to http redirects are answered over https only; the other kinds over the main ports.
                if (f instanceof Fault.Redirect r && (r.kind() != Fault.Redirect.Kind.HTTPS_TO_HTTP || overHttps)) {
                    String target = switch (r.kind()) {
                        case SAME_ORIGIN -> "/redirected" + path;
                        case CROSS_ORIGIN -> (overHttps ? server.otherHttpsOriginUri(path) : server.otherOriginUri(path))
                                .toString();
                        case LOOP -> path;
                        case HTTPS_TO_HTTP -> server.uri(path).toString();
                    };
                    out.set("Location", target);
                    sendHeaders(ex, r.status(), -1);
                    return r.status();
                }
            }
        }
        for (Fault f : active) {
            if (f instanceof Fault.ExpiringUrls e && !e.signer().admit(ex.getRequestURI().getRawQuery())) {
                return sendText(ex, 403, "the signature of " + path + " expired or is unknown");
            }
        }
        Optional<ServedResource> served = server.served(path);
        if (served.isEmpty()) {
            return sendText(ex, 404, "no resource at " + path);
        }
        ServedResource res = served.get();
        for (Fault f : active) {
            if (f instanceof Fault.SameEtagNewLength n) {
                res = served.get().withLength(n.length());
            }
        }
        int version = res.advance();
        boolean noEtag = has(active, Fault.NoEtag.class);
        String etag = res.etag(path);
        String lastModified = res.lastModified();
        if (!noEtag) {
            out.set("ETag", etag);
        }
        out.set("Last-Modified", lastModified);
        if (!has(active, Fault.NoAcceptRanges.class)) {
            out.set("Accept-Ranges", "bytes");
        }
        out.set("Content-Type", "application/octet-stream");
        boolean head = method.equals("HEAD");
        if (!head && !method.equals("GET")) {
            return sendText(ex, 405, "method " + method + " not allowed");
        }
        if (head && has(active, Fault.HeadRefused.class)) {
            out.remove("ETag");
            out.remove("Last-Modified");
            sendHeaders(ex, 405, -1);
            return 405;
        }
        if (!head) {
            for (Fault f : active) {
                if (f instanceof Fault.Status s && faults.take(path, f)) {
                    s.retryAfter().ifPresent(d -> out.set("Retry-After", Long.toString(d.toSeconds())));
                    return sendText(ex, s.status(), "injected status " + s.status());
                }
            }
        }
        String ifNoneMatch = ex.getRequestHeaders().getFirst("If-None-Match");
        String ifModifiedSince = ex.getRequestHeaders().getFirst("If-Modified-Since");
        if (ifNoneMatch != null && !noEtag && (ifNoneMatch.equals(etag) || ifNoneMatch.equals("*"))
                || ifNoneMatch == null && ifModifiedSince != null && ifModifiedSince.equals(lastModified)) {
            sendHeaders(ex, 304, -1);
            return 304;
        }
        boolean gzip = has(active, Fault.GzipAlways.class)
                || has(active, Fault.GzipWhenAllowed.class) && allowsGzip(ex.getRequestHeaders().getFirst("Accept-Encoding"));
        if (!head && has(active, Fault.EndlessBody.class)) {
            Range endless = Range.of(0, Long.MAX_VALUE - 1);
            return bodies.sendBody(ex, res, version, path, 200, endless, false, active, written);
        }
        if (head) {
            out.set("Content-Length", Long.toString(res.length));
            sendHeaders(ex, 200, -1);
            return 200;
        }
        Optional<List<Range>> ranges = rangeHeader.flatMap(RangeHeader::parse);
        String ifRange = ex.getRequestHeaders().getFirst("If-Range");
        boolean ifRangeFails = ifRange != null && !(ifRange.equals(noEtag ? null : etag) || ifRange.equals(lastModified));
        if (ranges.isEmpty() || has(active, Fault.IgnoreRange.class) || ifRangeFails) {
            return bodies.sendBody(ex, res, version, path, 200, Range.of(0, res.length), gzip, active, written);
        }
        List<Range> satisfiable = satisfiable(ranges.get(), res.length);
        if (satisfiable.isEmpty()) {
            out.set("Content-Range", "bytes */" + res.length);
            return sendText(ex, 416, "range not satisfiable");
        }
        if (satisfiable.size() > 1 && !has(active, Fault.CoalesceRanges.class)) {
            return BodyWriter.sendMultipart(ex, res, version, satisfiable, active, written);
        }
        Range r = Range.of(satisfiable.stream().mapToLong(Range::start).min().orElseThrow(),
                satisfiable.stream().mapToLong(Range::stop).max().orElseThrow());
        for (Fault f : active) {
            if (f instanceof Fault.WrongContentRange w) {
                long s = Math.max(0, Math.min(res.length - r.length(), r.start() + w.shift()));
                r = Range.of(s, s + r.length());
            }
        }
        long total = res.length;
        for (Fault f : active) {
            if (f instanceof Fault.ContentRangeTotal t) {
                total = t.total();
            }
        }
        out.set("Content-Range", "bytes " + r.start() + "-" + (r.stop() - 1) + "/" + total);
        return bodies.sendBody(ex, res, version, path, 206, r, gzip, active, written);
    }

    /** The asked ranges that overlap the resource, clipped to its end. */
    private static List<Range> satisfiable(List<Range> asked, long length) {
        List<Range> satisfiable = new ArrayList<>();
        for (Range r : asked) {
            if (r.isSuffix() || r.start() < length) {
                Range abs = r.resolve(length);
                Range clipped = Range.of(abs.start(), Math.min(abs.stop(), length));
                if (!clipped.isEmpty()) {
                    satisfiable.add(clipped);
                }
            }
        }
        return satisfiable;
    }

    private static boolean allowsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
            String[] p = part.trim().split(";");
            if (p[0].trim().equals("gzip") || p[0].trim().equals("*")) {
                return !(p.length > 1 && p[1].replace(" ", "").equals("q=0"));
            }
        }
        return false;
    }
}
