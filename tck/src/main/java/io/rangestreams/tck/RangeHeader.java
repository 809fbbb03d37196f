package io.rangestreams.tck;

import io.rangestreams.Range;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads a request's {@code Range} header as {@link RangeServer} understands it. */
final class RangeHeader {

    private RangeHeader() {}

    /** Parses {@code bytes=a-b,c-,-n} into ranges; empty when malformed (the header is then ignored). */
    static Optional<List<Range>> parse(String header) {
        String h = header.trim();
        if (!h.startsWith("bytes=")) {
            return Optional.empty();
        }
        List<Range> out = new ArrayList<>();
        try {
            for (String spec : h.substring(6).split(",")) {
                String s = spec.trim();
                int dash = s.indexOf('-');
                if (dash < 0) {
                    return Optional.empty();
                }
                String a = s.substring(0, dash).trim();
                String b = s.substring(dash + 1).trim();
                if (a.isEmpty()) {
                    long n = Long.parseLong(b);
                    if (n <= 0) {
                        return Optional.empty();
                    }
                    out.add(Range.suffix(n));
                } else if (b.isEmpty()) {
                    out.add(Range.from(Long.parseLong(a)));
                } else {
                    long first = Long.parseLong(a);
                    long last = Long.parseLong(b);
                    if (first < 0 || last < first) {
                        return Optional.empty();
                    }
                    out.add(Range.of(first, last + 1));
                }
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }
}
