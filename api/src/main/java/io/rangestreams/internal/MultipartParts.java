package io.rangestreams.internal;

import io.rangestreams.RangeStreamException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The framing of a {@code multipart/byteranges} body (RFC 9110 §14.6, RFC 2046 §5.1): finds each part's
 * delimiter and reads its headers, with every line, the header count and the preamble bounded. The
 * caller reads each part's bytes from the same stream between two calls of {@link #next}. Framing that
 * breaks these rules is a {@link RangeStreamException} naming what came.
 */
final class MultipartParts {

    /** The longest line read (a delimiter or a header). */
    static final int MAX_LINE = 1024;
    /** The most header lines of one part. */
    static final int MAX_HEADERS = 32;
    /** The most lines before the first delimiter. */
    static final int MAX_PREAMBLE_LINES = 16;

    private final InputStream in;
    private final String delimiter;
    private final URI uri;
    private boolean started;

    /**
     * @param in the body, buffered: lines are read a byte at a time
     * @param boundary the boundary the response's {@code Content-Type} names
     */
    MultipartParts(InputStream in, String boundary, URI uri) {
        this.in = in;
        this.delimiter = "--" + boundary;
        this.uri = uri;
    }

    /**
     * Reads on to the next part's delimiter, and its headers (names in lower case).
     *
     * @return the next part's headers, or empty at the close delimiter
     * @throws RangeStreamException if the body breaks the framing or ends before the close delimiter
     */
    Optional<Map<String, String>> next() throws IOException {
        String line;
        if (!started) {
            started = true;
            int skipped = 0;
            while (!isDelimiter(line = line())) {
                if (++skipped > MAX_PREAMBLE_LINES) {
                    throw malformed("no delimiter " + delimiter + " in its first " + MAX_PREAMBLE_LINES + " lines");
                }
            }
        } else {
            // A part's bytes end with CRLF before the delimiter: anything else means it was longer than it said.
            String end = line();
            if (!end.isEmpty()) {
                throw malformed("a part is longer than its Content-Range says");
            }
            line = line();
            if (!isDelimiter(line)) {
                throw malformed("a part is followed by '" + shown(line) + "' instead of a delimiter");
            }
        }
        if (trimmed(line).equals(delimiter + "--")) {
            return Optional.empty();
        }
        Map<String, String> headers = new TreeMap<>();
        for (int n = 0; !(line = line()).isEmpty(); n++) {
            int colon = line.indexOf(':');
            if (n >= MAX_HEADERS || colon <= 0) {
                throw malformed(n >= MAX_HEADERS ? "a part has more than " + MAX_HEADERS + " header lines"
                        : "a part has the header line '" + shown(line) + "'");
            }
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return Optional.of(headers);
    }

    private boolean isDelimiter(String line) {
        String t = trimmed(line);
        return t.equals(delimiter) || t.equals(delimiter + "--");
    }

    /** A line without its line break, transport padding (trailing spaces and tabs) removed. */
    private static String trimmed(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        return line.substring(0, end);
    }

    /** The next line, without its CRLF (or bare LF). */
    private String line() throws IOException {
        byte[] buf = new byte[MAX_LINE];
        int n = 0;
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw malformed("the body ended before its close delimiter");
            }
            if (n == MAX_LINE) {
                throw malformed("a line is longer than " + MAX_LINE + " bytes");
            }
            buf[n++] = (byte) b;
        }
        if (n > 0 && buf[n - 1] == '\r') {
            n--;
        }
        return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
    }

    private static String shown(String line) {
        return line.length() > 80 ? line.substring(0, 80) + "..." : line;
    }

    private RangeStreamException malformed(String what) {
        return new RangeStreamException("multipart/byteranges body of " + uri + " is malformed: " + what);
    }
}
