package io.rangestreams.cli;

import io.rangestreams.Range;
import java.util.Optional;

/**
 * Converts a {@code --range} argument, written as in an HTTP {@code Range} header (and curl's
 * {@code -r}), with <b>inclusive</b> ends: {@code a-b} is bytes {@code a} to {@code b} inclusive
 * ({@code 0-99} is the first 100 bytes), {@code a-} is from {@code a} to the end, {@code -n} is the last
 * {@code n} bytes. The result is the library's half-open {@link Range}.
 */
final class ByteRangeArgument {

    private ByteRangeArgument() {}

    /**
     * Parses a range.
     *
     * @throws UsageException naming the value and the accepted forms
     */
    static Range parse(String value) {
        String v = value.strip();
        int dash = v.indexOf('-');
        if (dash < 0 || v.indexOf('-', dash + 1) >= 0) {
            throw invalid(value, "expected a-b, a- or -n");
        }
        String a = v.substring(0, dash);
        String b = v.substring(dash + 1);
        if (a.isEmpty()) {
            long n = number(value, b);
            if (n == 0) {
                throw invalid(value, "the last 0 bytes is an empty range");
            }
            return Range.suffix(n);
        }
        long first = number(value, a);
        if (b.isEmpty()) {
            return Range.from(first);
        }
        long last = number(value, b);
        if (last < first) {
            throw invalid(value, "the last byte " + last + " comes before the first " + first);
        }
        if (last == Long.MAX_VALUE) {
            throw invalid(value, "the last byte is too large");
        }
        return Range.of(first, last + 1);
    }

    private static long number(String value, String digits) {
        if (digits.isEmpty() || digits.length() > 18 || !allDigits(digits)) {
            throw invalid(value, "'" + digits + "' is not a byte position");
        }
        return Long.parseLong(digits);
    }

    /** A loop rather than a stream: it runs for every range given, at start, before anything is compiled. */
    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static UsageException invalid(String value, String why) {
        return new UsageException("invalid range '" + value + "': " + why
                + " (inclusive, as in HTTP: 0-99 is the first 100 bytes, 100- the rest, -100 the last 100)",
                Optional.of("get"));
    }
}
