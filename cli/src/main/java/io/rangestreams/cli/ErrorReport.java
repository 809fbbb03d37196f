package io.rangestreams.cli;

import io.rangestreams.HttpStatusException;
import io.rangestreams.RangeNotSatisfiableException;
import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns a failure into the one line a user sees: what went wrong and with which resource. */
final class ErrorReport {

    private ErrorReport() {}

    /** One line describing {@code failure}; {@code resource} is what the command was working on, if known. */
    static String describe(Throwable failure, Optional<URI> resource) {
        Throwable e = unwrap(failure);
        String where = resource.map(u -> " (" + u + ")").orElse("");
        if (find(failure, OutOfMemoryError.class).isPresent()) {
            return "out of memory" + where + " (the Java heap is " + ByteCount.format(Runtime.getRuntime().maxMemory())
                    + "; give a smaller store, e.g. --store memory?maxBytes=16m, or more heap)";
        }
        Throwable refused = find(failure, ConnectException.class).orElse(null);
        if (refused != null && resource.isPresent()) {
            URI u = resource.get();
            int port = u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
            return "cannot connect to " + u.getHost() + ":" + port + " (" + (refused.getMessage() != null
                    ? oneLine(refused.getMessage()) : "connection refused") + ")" + where;
        }
        String message = e.getMessage() == null || e.getMessage().isBlank() ? null : oneLine(e.getMessage());
        if (e instanceof HttpStatusException h) {
            String hint = h.status() == 404 ? "not found: " : "HTTP " + h.status() + ": ";
            return hint + (message != null ? message : "server answered " + h.status() + where);
        }
        if (e instanceof RangeNotSatisfiableException) {
            return "range not satisfiable: " + (message != null ? message : "416" + where);
        }
        if (e instanceof NoSuchFileException n) {
            return "no such file: " + n.getFile() + (n.getReason() != null ? " (" + n.getReason() + ")" : "");
        }
        if (e instanceof AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (e instanceof FileSystemException f) {
            return message != null ? message : "file system error: " + f.getFile();
        }
        if (e instanceof FileNotFoundException) {
            return message != null ? message : "not found" + where;
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + (message != null ? message : "") + where;
        }
        if (e instanceof HttpConnectTimeoutException || e instanceof java.net.SocketTimeoutException
                || e instanceof HttpTimeoutException) {
            return "timed out" + (message != null ? ": " + message : "") + where;
        }
        if (e instanceof ConnectException) {
            return "cannot connect" + where + (message != null ? ": " + message : ": connection refused");
        }
        if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof java.io.IOException || e instanceof UncheckedIOException) {
            return message != null ? message : e.getClass().getSimpleName() + where;
        }
        return e.getClass().getSimpleName() + (message != null ? ": " + message : "") + where;
    }

    /** The failure that says most: wrappers that add nothing are peeled off. */
    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while (e.getCause() != null && e.getCause() != e && addsNothing(e)) {
            e = e.getCause();
        }
        return e;
    }

    /** The first throwable of {@code type} in the chain of causes from {@code t}. */
    static <T extends Throwable> Optional<T> find(Throwable t, Class<T> type) {
        for (Throwable e = t; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (type.isInstance(e)) {
                return Optional.of(type.cast(e));
            }
        }
        return Optional.empty();
    }

    private static boolean addsNothing(Throwable e) {
        return e instanceof ExecutionException || e instanceof CompletionException
                || e.getMessage() == null
                || e.getMessage().equals(e.getCause().toString());
    }

    private static String oneLine(String s) {
        int nl = s.indexOf('\n');
        return (nl >= 0 ? s.substring(0, nl) : s).strip();
    }
}
