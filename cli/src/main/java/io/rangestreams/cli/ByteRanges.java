package io.rangestreams.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ranges {@code serve} answers. One range is a plain {@code 206} ({@link #single}); several are one
 * {@code multipart/byteranges} body (RFC 9110 §14.6), the satisfiable ones in the order asked, each
 * part with its own {@code Content-Type} and {@code Content-Range}. Requests a server may decline by
 * sending the whole file (RFC 9110 §14.2) are declined: a malformed header, more than
 * {@link #MAX_RANGES} ranges, or ranges that overlap, with which a client could ask for far more bytes
 * than the file has.
 *
 * @param spans the satisfiable ranges as half-open {@code [start, stop)}, in the order asked
 * @param length the file's length
 * @param contentType the file's content type, repeated in each part
 * @param boundary the delimiter between parts
 */
record ByteRanges(List<long[]> spans, long length, String contentType, String boundary) {

    /** The most ranges answered in one body; above, the whole file is sent. */
    static final int MAX_RANGES = 256;

    /**
     * The ranges of {@code header}, when it names several.
     *
     * @return empty to send the whole file; a value with no spans when none is satisfiable (416)
     */
    static Optional<ByteRanges> parse(String header, long length, String contentType) {
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return Optional.empty();
        }
        String[] specs = h.substring(6).split(",", -1);
        if (specs.length > MAX_RANGES) {
            return Optional.empty();
        }
        List<long[]> spans = new ArrayList<>();
        for (String spec : specs) {
            long[] span = single("bytes=" + spec.trim(), length);
            if (span == null) {
                return Optional.empty();
            }
            if (span.length == 2) {
                spans.add(span);
            }
        }
        List<long[]> sorted = new ArrayList<>(spans);
        sorted.sort((a, b) -> Long.compare(a[0], b[0]));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i)[0] < sorted.get(i - 1)[1]) {
                return Optional.empty();
            }
        }
        String boundary = "range-streams-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        return Optional.of(new ByteRanges(List.copyOf(spans), length, contentType, boundary));
    }

    /**
     * Parses a {@code Range} header against the length: the half-open {@code [start, stop)} clipped to
     * the length; an empty array when it is not satisfiable; {@code null} when the header is malformed
     * or asks for several ranges (both mean: serve the whole file).
     */
    static long[] single(String header, long length) {
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
            return null;
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        OptionalLong first = number(spec.substring(0, dash));
        OptionalLong last = number(spec.substring(dash + 1));
        if (first.isEmpty()) {
            if (last.isEmpty() || dash != 0) {
                return null;
            }
            long n = last.getAsLong();
            if (n == 0 || length == 0) {
                return new long[0];
            }
            return new long[] {Math.max(0, length - n), length};
        }
        long start = first.getAsLong();
        if (dash != spec.length() - 1 && last.isEmpty()) {
            return null;
        }
        if (last.isPresent() && last.getAsLong() < start) {
            return null;
        }
        if (start >= length) {
            return new long[0];
        }
        long stop = last.isPresent() ? Math.min(length, last.getAsLong() + 1) : length;
        return new long[] {start, stop};
    }

    private static OptionalLong number(String s) {
        String t = s.trim();
        if (t.isEmpty() || !t.chars().allMatch(c -> c >= '0' && c <= '9') || t.length() > 18) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(t));
    }

    /** The head of part {@code i}: the delimiter, then its headers and the empty line. */
    byte[] partHead(int i) {
        long[] span = spans.get(i);
        return ("\r\n--" + boundary + "\r\nContent-Type: " + contentType + "\r\nContent-Range: bytes " + span[0] + "-"
                + (span[1] - 1) + "/" + length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The close delimiter after the last part. */
    byte[] closing() {
        return ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The body's length: every part's head and bytes, and the close delimiter. */
    long bodyLength() {
        long total = closing().length;
        for (int i = 0; i < spans.size(); i++) {
            total += partHead(i).length + spans.get(i)[1] - spans.get(i)[0];
        }
        return total;
    }

    /** The response's {@code Content-Type}. */
    String mediaType() {
        return "multipart/byteranges; boundary=" + boundary;
    }
}
