package io.rangestreams.format.png;

import io.rangestreams.Range;
import io.rangestreams.RangeStream;
import java.io.IOException;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * One chunk of a PNG file, as listed from its 8-byte header and 4-byte trailer; its data is read only
 * when {@link #crcValid()} or {@link #data()} asks for it.
 *
 * <p>Immutable and thread-safe; equality is by type, offset, length and CRC.
 */
public final class PngChunk {

    private final RangeStream stream;
    private final String type;
    private final long offset;
    private final long length;
    private final long crc;

    PngChunk(RangeStream stream, String type, long offset, long length, long crc) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.type = Objects.requireNonNull(type, "type");
        this.offset = offset;
        this.length = length;
        this.crc = crc;
    }

    /** The four-letter chunk type, e.g. {@code IHDR}, {@code IDAT}. */
    public String type() {
        return type;
    }

    /** Where the chunk (its length field) starts in the file. */
    public long offset() {
        return offset;
    }

    /** The length of its data. */
    public long length() {
        return length;
    }

    /** The CRC-32 stored after its data (over type and data). */
    public long crc() {
        return crc;
    }

    /** Whether the chunk is critical (its type starts with an upper-case letter). */
    public boolean critical() {
        return Character.isUpperCase(type.charAt(0));
    }

    /** The chunk's data, fetched if not held. */
    public byte[] data() throws IOException {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IOException("chunk " + type + " at offset " + offset + " of " + stream.uri() + " is too large ("
                    + length + " bytes) for one array");
        }
        return stream.read(Range.of(offset + 8, offset + 8 + length));
    }

    /** Reads type and data (fetching what is not held) and checks them against the stored CRC. */
    public boolean crcValid() throws IOException {
        CRC32 c = new CRC32();
        long pos = offset + 4;
        long stop = offset + 8 + length;
        while (pos < stop) {
            long n = Math.min(1 << 20, stop - pos);
            c.update(stream.read(Range.of(pos, pos + n)));
            pos += n;
        }
        return c.getValue() == crc;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PngChunk other && type.equals(other.type) && offset == other.offset
                && length == other.length && crc == other.crc;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, offset, length, crc);
    }

    @Override
    public String toString() {
        return "PngChunk[type=" + type + ", offset=" + offset + ", length=" + length + ", crc="
                + String.format("%08x", crc) + "]";
    }
}
