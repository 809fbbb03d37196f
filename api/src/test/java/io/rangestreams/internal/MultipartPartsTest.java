package io.rangestreams.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.RangeStreamException;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The framing of {@code multipart/byteranges} bodies, read from bytes as a server would send them. */
class MultipartPartsTest {

    private static final URI RESOURCE = URI.create("http://127.0.0.1/f.bin");

    private static InputStream body(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads {@code n} part bytes and returns them as text. */
    private static String bytes(MultipartParts parts, int n) throws IOException {
        byte[] b = new byte[n];
        for (int filled = 0, r; filled < n; filled += r) {
            r = parts.read(b, filled, n - filled);
            if (r < 0) {
                throw new IOException("ended " + filled + " bytes into " + n);
            }
        }
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** A body that gives at most {@code most} bytes per read, as a slow network would. */
    private static InputStream trickle(String text, int most) {
        return new FilterInputStream(body(text)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, most));
            }
        };
    }

    @Nested
    class Framing {

        @Test
        void readsEachPartsHeadersAndLeavesItsBytesToTheCaller() throws IOException {
            InputStream in = body("\r\n--B\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-3/10\r\n\r\nabcd"
                    + "\r\n--B\r\ncontent-range: bytes 8-9/10\r\n\r\nij\r\n--B--\r\n");
            MultipartParts parts = new MultipartParts(in, "B", RESOURCE);
            Optional<Map<String, String>> first = parts.next();
            assertThat(first).as("first part's headers (CRLF before the first delimiter)")
                    .contains(Map.of("content-type", "text/plain", "content-range", "bytes 0-3/10"));
            assertThat(bytes(parts, 4)).as("first part's bytes").isEqualTo("abcd");
            assertThat(parts.next()).as("second part's headers, name in lower case")
                    .contains(Map.of("content-range", "bytes 8-9/10"));
            assertThat(bytes(parts, 2)).as("second part's bytes").isEqualTo("ij");
            assertThat(parts.next()).as("at the close delimiter").isEmpty();
        }

        @Test
        void readsLinesAndBytesThatArriveAFewBytesAtATime() throws IOException {
            String text = "\r\n--B\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-3/10\r\n\r\nabcd"
                    + "\r\n--B\r\ncontent-range: bytes 8-9/10\r\n\r\nij\r\n--B--\r\n";
            for (int most = 1; most <= 4; most++) {
                MultipartParts parts = new MultipartParts(trickle(text, most), "B", RESOURCE);
                assertThat(parts.next()).as("first part's headers, %d bytes per read", most)
                        .contains(Map.of("content-type", "text/plain", "content-range", "bytes 0-3/10"));
                assertThat(bytes(parts, 4)).as("first part's bytes, %d bytes per read", most).isEqualTo("abcd");
                assertThat(parts.next()).as("second part's headers, %d bytes per read", most)
                        .contains(Map.of("content-range", "bytes 8-9/10"));
                assertThat(bytes(parts, 2)).as("second part's bytes, %d bytes per read", most).isEqualTo("ij");
                assertThat(parts.next()).as("the close delimiter, %d bytes per read", most).isEmpty();
            }
        }

        @Test
        void acceptsAPreambleBareLineFeedsAndTransportPadding() throws IOException {
            InputStream in = body("This is a preamble\n--B  \nContent-Range: bytes 0-0/1\n\nx\n--B-- \n");
            MultipartParts parts = new MultipartParts(in, "B", RESOURCE);
            assertThat(parts.next()).as("part after a preamble, LF line ends, padded delimiter")
                    .contains(Map.of("content-range", "bytes 0-0/1"));
            assertThat(bytes(parts, 1)).as("its byte").isEqualTo("x");
            assertThat(parts.next()).as("padded close delimiter").isEmpty();
        }
    }

    @Nested
    class Malformed {

        @Test
        void aPartLongerThanItSaysIsRefused() throws IOException {
            InputStream in = body("--B\r\nContent-Range: bytes 0-1/10\r\n\r\nabc\r\n--B--\r\n");
            MultipartParts parts = new MultipartParts(in, "B", RESOURCE);
            parts.next();
            bytes(parts, 2);
            assertThatThrownBy(parts::next).as("a part with one byte more than its Content-Range")
                    .isInstanceOf(RangeStreamException.class).hasMessageContaining("longer than its Content-Range");
        }

        @Test
        void aBodyEndingBeforeItsCloseDelimiterIsRefused() throws IOException {
            InputStream in = body("--B\r\nContent-Range: bytes 0-1/10\r\n\r\nab");
            MultipartParts parts = new MultipartParts(in, "B", RESOURCE);
            parts.next();
            bytes(parts, 2);
            assertThatThrownBy(parts::next).as("a body cut after a part")
                    .isInstanceOf(RangeStreamException.class).hasMessageContaining("ended before its close delimiter");
        }

        @Test
        void aBodyWithoutItsDelimiterIsRefusedAfterABoundedPreamble() {
            InputStream in = body("line\r\n".repeat(MultipartParts.MAX_PREAMBLE_LINES + 1) + "--B\r\n");
            assertThatThrownBy(new MultipartParts(in, "B", RESOURCE)::next).as("too long a preamble")
                    .isInstanceOf(RangeStreamException.class).hasMessageContaining("no delimiter --B");
        }

        @Test
        void anEndlessLineIsRefusedAtTheLineLimit() {
            InputStream in = body("--B\r\nContent-Range: " + "9".repeat(MultipartParts.MAX_LINE) + "\r\n\r\n");
            assertThatThrownBy(new MultipartParts(in, "B", RESOURCE)::next).as("a header line past the limit")
                    .isInstanceOf(RangeStreamException.class).hasMessageContaining("longer than " + MultipartParts.MAX_LINE);
        }

        @Test
        void tooManyHeaderLinesAreRefused() {
            InputStream in = body("--B\r\n" + "X-A: 1\r\n".repeat(MultipartParts.MAX_HEADERS + 1) + "\r\n");
            assertThatThrownBy(new MultipartParts(in, "B", RESOURCE)::next).as("header lines past the limit")
                    .isInstanceOf(RangeStreamException.class).hasMessageContaining("more than " + MultipartParts.MAX_HEADERS);
        }
    }

    @Nested
    class Boundary {

        @Test
        void isTakenPlainOrQuotedAndRefusedWhenMissingOrTooLong() {
            assertThat(Exchange.boundaryOf("multipart/byteranges; boundary=00000000000000000001"))
                    .as("nginx's plain boundary").contains("00000000000000000001");
            assertThat(Exchange.boundaryOf("multipart/byteranges; charset=x; Boundary=\"a b\""))
                    .as("a quoted boundary with a space").contains("a b");
            assertThat(Exchange.boundaryOf("multipart/byteranges")).as("no boundary").isEmpty();
            assertThat(Exchange.boundaryOf("multipart/byteranges; boundary=" + "x".repeat(71)))
                    .as("a boundary of 71 characters").isEmpty();
        }
    }
}
