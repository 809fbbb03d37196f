package io.rangestreams;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The URIs of a {@link Batch} not yet started, queued per host: hands out the earliest one whose host is
 * under its limit, so that a long run of URIs on one host does not hold back those on others. Thread-safe.
 */
final class HostQueue {

    private final List<URI> uris;
    private final int perHost;
    private final Map<String, ArrayDeque<Integer>> pending = new LinkedHashMap<>();
    private final Map<String, Integer> active = new HashMap<>();
    private int left;
    private boolean closed;

    HostQueue(List<URI> uris, int perHost) {
        this.uris = uris;
        this.perHost = perHost;
        for (int i = 0; i < uris.size(); i++) {
            pending.computeIfAbsent(hostOf(uris.get(i)), h -> new ArrayDeque<>()).add(i);
        }
        this.left = uris.size();
    }

    /** Where a URI's requests go: scheme, host and port, as a connection pool keys its connections. */
    static String hostOf(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + host + ":" + port;
    }

    /**
     * The index of the next URI to start, waiting while every host with URIs left is at its limit.
     *
     * @return empty when none is left or the queue is closed
     */
    synchronized OptionalInt take() throws InterruptedException {
        while (!closed && left > 0) {
            String best = null;
            int bestIndex = Integer.MAX_VALUE;
            for (Map.Entry<String, ArrayDeque<Integer>> e : pending.entrySet()) {
                int head = e.getValue().peekFirst();
                if (head < bestIndex && active.getOrDefault(e.getKey(), 0) < perHost) {
                    best = e.getKey();
                    bestIndex = head;
                }
            }
            if (best != null) {
                ArrayDeque<Integer> queue = pending.get(best);
                queue.removeFirst();
                if (queue.isEmpty()) {
                    pending.remove(best);
                }
                active.merge(best, 1, Integer::sum);
                left--;
                return OptionalInt.of(bestIndex);
            }
            wait();
        }
        return OptionalInt.empty();
    }

    /** The URI at {@code index}, handed out by {@link #take()}, is done: its host has room again. */
    synchronized void release(int index) {
        active.merge(hostOf(uris.get(index)), -1, Integer::sum);
        notifyAll();
    }

    /**
     * Hands out nothing more and wakes those waiting.
     *
     * @return the indexes never handed out, in order
     */
    synchronized List<Integer> close() {
        closed = true;
        List<Integer> never = new ArrayList<>();
        pending.values().forEach(never::addAll);
        never.sort(null);
        pending.clear();
        left = 0;
        notifyAll();
        return never;
    }
}
