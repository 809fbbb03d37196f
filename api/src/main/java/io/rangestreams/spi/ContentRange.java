package io.rangestreams.spi;

import io.rangestreams.Range;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A parsed {@code Content-Range} header: {@code bytes a-b/len}, {@code bytes a-b/*} or
 * {@code bytes *}{@code /len} (the form a 416 carries, with no range).
 *
 * @param range the half-open range the body holds, if any
 * @param length the complete length of the resource, if the server stated it
 */
public record ContentRange(Optional<Range> range, OptionalLong length) {

    /**
     * Parses a {@code Content-Range} value.
     *
     * @return the parsed value, or empty when the header is malformed (a total of 2^63-1 counts as
     *     malformed: it is the open end of {@link Range#END})
     */
    public static Optional<ContentRange> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim();
        if (!v.regionMatches(true, 0, "bytes ", 0, 6)) {
            return Optional.empty();
        }
        v = v.substring(6).trim();
        int slash = v.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String span = v.substring(0, slash).trim();
        String total = v.substring(slash + 1).trim();
        try {
            OptionalLong length = total.equals("*") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(total));
            // Range.END (2^63-1) stands for an open end; no resource is that long.
            if (length.isPresent() && (length.getAsLong() < 0 || length.getAsLong() == Range.END)) {
                return Optional.empty();
            }
            if (span.equals("*")) {
                return length.isPresent() ? Optional.of(new ContentRange(Optional.empty(), length)) : Optional.empty();
            }
            int dash = span.indexOf('-');
            if (dash <= 0) {
                return Optional.empty();
            }
            long first = Long.parseLong(span.substring(0, dash).trim());
            long last = Long.parseLong(span.substring(dash + 1).trim());
            if (first < 0 || last < first || length.isPresent() && last >= length.getAsLong()) {
                return Optional.empty();
            }
            return Optional.of(new ContentRange(Optional.of(Range.of(first, last + 1)), length));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
