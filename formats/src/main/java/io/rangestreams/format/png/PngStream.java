package io.rangestreams.format.png;

import io.rangestreams.Range;
import io.rangestreams.RangeStream;
import io.rangestreams.format.ForwardingRangeStream;
import io.rangestreams.format.ScanWindow;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A PNG image over HTTP. {@link #header()} costs one request (the first 64 KiB block, which holds the
 * signature and {@code IHDR}); {@link #chunks()} reads chunk headers only, skipping large chunks' data;
 * {@link #decode()} reads the whole image through {@code javax.imageio}.
 *
 * <p>Thread-safe: header and chunk list are read once, under a lock.
 */
public final class PngStream extends ForwardingRangeStream {

    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final long MAX_CHUNK = 0x7fffffffL;

    private final Object lock = new Object();
    private PngHeader header;
    private List<PngChunk> chunks;

    /** A PNG stream over {@code base}, which it owns; sends nothing yet. */
    public PngStream(RangeStream base) {
        super(base);
    }

    /**
     * The {@code IHDR} fields.
     *
     * @throws IOException if the resource is not a PNG (bad signature or no {@code IHDR} first)
     */
    public PngHeader header() throws IOException {
        synchronized (lock) {
            if (header == null) {
                fetch(Range.of(0, 33));
                byte[] head = read(Range.of(0, Math.min(33, length())));
                if (head.length < 33 || !Arrays.equals(head, 0, 8, SIGNATURE, 0, 8)) {
                    throw new IOException(uri() + " is not a PNG: the first bytes are not the PNG signature");
                }
                ByteBuffer b = ByteBuffer.wrap(head);
                String type = new String(head, 12, 4, StandardCharsets.ISO_8859_1);
                long ihdrLength = b.getInt(8) & 0xffffffffL;
                if (!type.equals("IHDR")) {
                    throw new IOException(uri() + " is not a valid PNG: its first chunk is '" + printable(type)
                            + "', where IHDR must come first");
                }
                if (ihdrLength != 13) {
                    throw new IOException(uri() + " is not a valid PNG: its IHDR chunk declares a length of "
                            + ihdrLength + " bytes, where IHDR is always 13");
                }
                try {
                    header = new PngHeader(b.getInt(16) & 0xffffffffL, b.getInt(20) & 0xffffffffL, head[24] & 0xff,
                            head[25] & 0xff, head[26] & 0xff, head[27] & 0xff, head[28] & 0xff);
                } catch (IllegalArgumentException e) {
                    throw new IOException(uri() + ": " + e.getMessage(), e);
                }
            }
            return header;
        }
    }

    /** A chunk type as text, non-printable bytes as {@code \xNN}. */
    private static String printable(String type) {
        StringBuilder sb = new StringBuilder();
        for (char c : type.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return sb.toString();
    }

    /**
     * The chunks up to and including {@code IEND}, reading only their headers and CRCs.
     *
     * @throws IOException if the resource is not a PNG or a chunk runs past its end
     */
    public List<PngChunk> chunks() throws IOException {
        synchronized (lock) {
            if (chunks == null) {
                header();
                ScanWindow scan = new ScanWindow(base());
                scan.read(0, 8);
                List<PngChunk> found = new ArrayList<>();
                long length = length();
                long pos = 8;
                while (pos < length) {
                    byte[] h = scan.read(pos, 8);
                    if (h.length < 8) {
                        throw new IOException(uri() + ": chunk header at offset " + pos + " is cut short");
                    }
                    long len = ByteBuffer.wrap(h).getInt(0) & 0xffffffffL;
                    String type = new String(h, 4, 4, StandardCharsets.ISO_8859_1);
                    if (len > MAX_CHUNK || pos + 12 + len > length) {
                        throw new IOException(uri() + ": chunk " + type + " at offset " + pos + " with length " + len
                                + " runs past the end (" + length + ")");
                    }
                    byte[] c = scan.read(pos + 8 + len, 4);
                    found.add(new PngChunk(base(), type, pos, len, ByteBuffer.wrap(c).getInt(0) & 0xffffffffL));
                    pos += 12 + len;
                    if (type.equals("IEND")) {
                        break;
                    }
                }
                chunks = List.copyOf(found);
            }
            return chunks;
        }
    }

    /** Checks one chunk's CRC, fetching its data; the same as {@code chunk.crcValid()}. */
    public boolean crcValid(PngChunk chunk) throws IOException {
        return chunk.crcValid();
    }

    /**
     * Decodes the image with {@code javax.imageio}, reading the whole file.
     *
     * @throws IOException if it cannot be decoded
     */
    public BufferedImage decode() throws IOException {
        header();
        try (InputStream in = inputStream()) {
            BufferedImage image = ImageIO.read(in);
            if (image == null) {
                throw new IOException("no image reader could decode " + uri());
            }
            return image;
        }
    }
}
