package io.rangestreams.tck;

import com.sun.net.httpserver.HttpExchange;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A request in {@link RangeServer}'s log. It is logged when it arrives; its status is set just before the
 * headers go out and its body count just before each write, so a client that has seen a response always
 * finds it in the log, complete. (Logging after answering raced with fast clients.)
 */
final class LoggedRequest {

    private static final String ATTRIBUTE = "range-server.entry";

    final String method;
    final String path;
    final Optional<String> range;
    final Map<String, List<String>> headers;
    final String connection;
    final int port;
    volatile int status;
    volatile long bodyBytes;
    /** Whether this request still counts as being answered (see {@link #answered}). */
    private final AtomicBoolean answering = new AtomicBoolean(true);
    private final AtomicInteger answeringNow;

    LoggedRequest(String method, String path, Optional<String> range, Map<String, List<String>> headers,
            String connection, int port, AtomicInteger answeringNow) {
        this.method = method;
        this.path = path;
        this.range = range;
        this.headers = headers;
        this.connection = connection;
        this.port = port;
        this.answeringNow = answeringNow;
    }

    /** The logged request an exchange answers. */
    static LoggedRequest of(HttpExchange exchange) {
        return (LoggedRequest) exchange.getAttribute(ATTRIBUTE);
    }

    /** Ties this entry to the exchange that answers it. */
    void attachTo(HttpExchange exchange) {
        exchange.setAttribute(ATTRIBUTE, this);
    }

    /**
     * Stops counting this request as being answered; called before its last body bytes are written, so a
     * client that waits for a whole body before sending its next request is never counted twice.
     */
    void answered() {
        if (answering.compareAndSet(true, false)) {
            answeringNow.decrementAndGet();
        }
    }

    RangeServer.RecordedRequest snapshot() {
        return new RangeServer.RecordedRequest(method, path, range, headers, connection, port, status, bodyBytes);
    }
}
