package io.rangestreams.tck;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The {@link Fault}s set per path on a {@link RangeServer}, and how many times each counted one may still fire. */
final class FaultSchedule {

    private final Map<String, List<Fault>> faults = Collections.synchronizedMap(new TreeMap<>());
    private final Map<String, Integer> remaining = Collections.synchronizedMap(new HashMap<>());

    /** Adds a fault for requests of {@code path}. */
    void add(String path, Fault f) {
        faults.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(f);
        remaining.put(key(path, f), count(f));
    }

    /** Removes every fault of {@code path}. */
    void clear(String path) {
        faults.remove(path);
    }

    /** The faults set for {@code path}. */
    List<Fault> active(String path) {
        return faults.getOrDefault(path, List.of());
    }

    /** Whether a fault that fires a number of times may fire once more for {@code path}; counts it if so. */
    boolean take(String path, Fault f) {
        String k = key(path, f);
        synchronized (remaining) {
            int left = remaining.getOrDefault(k, 0);
            if (left <= 0) {
                return false;
            }
            remaining.put(k, left - 1);
            return true;
        }
    }

    static boolean has(List<Fault> active, Class<? extends Fault> type) {
        return active.stream().anyMatch(type::isInstance);
    }

    private static String key(String path, Fault f) {
        return path + "#" + System.identityHashCode(f);
    }

    private static int count(Fault f) {
        if (f instanceof Fault.Status s) {
            return s.times();
        }
        if (f instanceof Fault.TruncateBody t) {
            return t.times();
        }
        if (f instanceof Fault.ResetConnection c) {
            return c.times();
        }
        return Integer.MAX_VALUE;
    }
}
