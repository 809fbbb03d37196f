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
 * Reads a {@code multipart/byteranges} body (RFC 9110 §14.6, RFC 2046 §5.1): finds each part's
 * delimiter and reads its headers, with every line, the header count and the preamble bounded, and
 * gives the part's bytes through {@link #read}. Framing that breaks these rules is a
 * {@link RangeStreamException} naming what came.
 *
 * <p>The body is read through a buffer of its own, in which lines are scanned, rather than a byte at a
 * time through the stream: a short command reads a hundred parts' headers before it has warmed up.
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
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private boolean started;

    /**
     * @param in the body, unbuffered or not: it is read in blocks
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

    /**
     * Reads bytes of the current part (the caller counts them against its {@code Content-Range}).
     *
     * @return the number of bytes read, or -1 at the end of the body
     */
    int read(byte[] b, int off, int len) throws IOException {
        if (position < limit) {
            int n = Math.min(len, limit - position);
            System.arraycopy(buffer, position, b, off, n);
            position += n;
            return n;
        }
        return in.read(b, off, len);
    }

    /**
     * Reads the epilogue after the close delimiter (at most a line: a CRLF), so the connection can serve
     * the next request.
     */
    void drainEpilogue() throws IOException {
        position = limit;
        for (int i = 0; i < MAX_LINE && in.read() >= 0; i++) {
            // nothing to keep
        }
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

    /** The next line, without its CRLF (or bare LF), scanned in the buffer. */
    private String line() throws IOException {
        StringBuilder spilled = null; // only a line that straddles two fills of the buffer
        while (true) {
            for (int i = position; i < limit; i++) {
                if (buffer[i] == '\n') {
                    int end = i > position && buffer[i - 1] == '\r' ? i - 1 : i;
                    String piece = new String(buffer, position, end - position, StandardCharsets.ISO_8859_1);
                    int length = (spilled == null ? 0 : spilled.length()) + i - position;
                    position = i + 1;
                    if (length > MAX_LINE) {
                        throw malformed("a line is longer than " + MAX_LINE + " bytes");
                    }
                    if (spilled == null) {
                        return piece;
                    }
                    String whole = spilled.append(piece).toString();
                    // A CR that ended the previous fill belongs to this line's break.
                    return end == i && whole.endsWith("\r") ? whole.substring(0, whole.length() - 1) : whole;
                }
            }
            if (spilled == null) {
                spilled = new StringBuilder();
            }
            spilled.append(new String(buffer, position, limit - position, StandardCharsets.ISO_8859_1));
            if (spilled.length() > MAX_LINE) {
                throw malformed("a line is longer than " + MAX_LINE + " bytes");
            }
            position = 0;
            limit = Math.max(0, in.read(buffer, 0, buffer.length));
            if (limit == 0) {
                throw malformed("the body ended before its close delimiter");
            }
        }
    }

    private static String shown(String line) {
        return line.length() > 80 ? line.substring(0, 80) + "..." : line;
    }

    private RangeStreamException malformed(String what) {
        return new RangeStreamException("multipart/byteranges body of " + uri + " is malformed: " + what);
    }
}
