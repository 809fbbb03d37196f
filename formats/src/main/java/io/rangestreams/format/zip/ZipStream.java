package io.rangestreams.format.zip;

import io.airlift.compress.zstd.ZstdInputStream;
import io.rangestreams.Range;
import io.rangestreams.RangeStream;
import io.rangestreams.format.ForwardingRangeStream;
import io.rangestreams.format.SliceInputStream;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.deflate64.Deflate64CompressorInputStream;

/**
 * A zip archive over HTTP. Listing reads the central directory from the end of the resource: one
 * request ({@code bytes=-65536}, no {@code HEAD}) when the directory lies in the last 64 KiB, two when
 * it is larger. Reading a member of up to 8 MiB fetches its local header and data in one request;
 * larger members stream with the engine's readahead. A member's local header must name the member and
 * method the central directory gives, or the read fails before any byte; every member read is checked
 * against its CRC-32 and size.
 *
 * <pre>{@code
 * try (ZipStream zip = client.open(uri, ZipStream.class)) {
 *     for (ZipMember m : zip.entries()) System.out.println(m.name() + " " + m.size());
 *     byte[] manifest = zip.readMember("META-INF/MANIFEST.MF");
 * }
 * }</pre>
 *
 * <p>Thread-safe: the directory is read once, under a lock; members may be read concurrently.
 */
public final class ZipStream extends ForwardingRangeStream {

    /** Members up to this size are fetched, header and data, in one request. */
    static final long EAGER = 8L * 1024 * 1024;
    /** Room for a local extra field longer than the central one. */
    private static final int SLACK = 1024;
    private static final int LOCAL = 0x04034b50;
    /** The longest symbolic link target read (Linux's {@code PATH_MAX}). */
    private static final int MAX_LINK = 4096;

    private final Object lock = new Object();
    private ZipDirectory directory;
    private final Map<String, Long> dataOffsets = new ConcurrentHashMap<>();

    /** A zip stream over {@code base}, which it owns; sends nothing yet. */
    public ZipStream(RangeStream base) {
        super(base);
    }

    /**
     * The entries in central directory order; read on first call.
     *
     * @throws IOException if the resource is not a zip archive (the message says what is missing)
     */
    public List<ZipMember> entries() throws IOException {
        return directory().entries();
    }

    /** The entry of that name, if any. */
    public Optional<ZipMember> entry(String name) throws IOException {
        Objects.requireNonNull(name, "name");
        return Optional.ofNullable(directory().byName().get(name));
    }

    /** The archive comment, if it has one. */
    public Optional<String> comment() throws IOException {
        return directory().comment();
    }

    /**
     * Where the data of {@code member} starts: after its local header, whose length is read from the
     * archive (it may differ from the central directory's).
     */
    public long dataOffset(ZipMember member) throws IOException {
        return dataOffset(member, false);
    }

    /** With {@code withData}, a member of up to 8 MiB is fetched in the same request as its header. */
    private long dataOffset(ZipMember member, boolean withData) throws IOException {
        Objects.requireNonNull(member, "member");
        Long known = dataOffsets.get(member.name());
        if (known != null) {
            return known;
        }
        int hint = directory().headerHints().getOrDefault(member.name(), 30 + member.name().length());
        long start = member.localHeaderOffset();
        long stop = start + hint + SLACK + (withData && member.compressedSize() <= EAGER ? member.compressedSize() : 0);
        // One request for header and data in the usual case; fetch clips at the end of the resource.
        fetch(Range.of(start, stop));
        byte[] fixed = read(Range.of(start, start + 30));
        ByteBuffer b = ByteBuffer.wrap(fixed).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != LOCAL) {
            throw new IOException("local header of member " + member.name() + " of " + uri() + " expected at offset "
                    + start + " is missing");
        }
        int nameLength = b.getShort(26) & 0xffff;
        int extraLength = b.getShort(28) & 0xffff;
        checkLocalHeader(member, b, nameLength == 0 ? new byte[0] : read(Range.of(start + 30, start + 30 + nameLength)));
        long offset = start + 30 + nameLength + extraLength;
        dataOffsets.put(member.name(), offset);
        return offset;
    }

    /**
     * Refuses a local header that describes another member than the central directory does (a damaged or
     * crafted archive), before any of its bytes are handed out.
     */
    private void checkLocalHeader(ZipMember member, ByteBuffer fixed, byte[] nameBytes) throws IOException {
        boolean utf8 = (fixed.getShort(6) & 0x800) != 0;
        String local = ZipDirectory.text(nameBytes, 0, nameBytes.length, utf8);
        if (!local.equals(member.name())
                && !ZipDirectory.text(nameBytes, 0, nameBytes.length, true).equals(member.name())) {
            throw new IOException("member " + member.name() + " of " + uri() + ": its local header at offset "
                    + member.localHeaderOffset() + " names '" + local + "' instead; the archive is damaged");
        }
        int method = fixed.getShort(8) & 0xffff;
        if (method != member.method()) {
            throw new IOException("member " + member.name() + " of " + uri() + ": its local header at offset "
                    + member.localHeaderOffset() + " gives compression method " + method + ", the central directory "
                    + member.method() + "; the archive is damaged");
        }
    }

    /**
     * What the symbolic link of that name points to (its data, read as UTF-8); empty for a member that is
     * not a symbolic link.
     *
     * @throws FileNotFoundException if there is no member of that name
     */
    public Optional<String> linkTarget(String name) throws IOException {
        ZipMember m = entry(name).orElseThrow(() -> missing(name));
        if (!m.isSymbolicLink()) {
            return Optional.empty();
        }
        if (m.size() > MAX_LINK) {
            throw new IOException("symbolic link " + name + " of " + uri() + " has a target of " + m.size()
                    + " bytes, more than the " + MAX_LINK + " a link may have");
        }
        return Optional.of(new String(readMember(name), StandardCharsets.UTF_8));
    }

    private FileNotFoundException missing(String name) {
        return new FileNotFoundException("no member '" + name + "' in zip archive " + uri());
    }

    /**
     * The decompressed bytes of a member as a stream; reaching its end checks the CRC-32 and size.
     *
     * @throws FileNotFoundException if there is no member of that name
     * @throws IOException if it is encrypted or compressed with a method this reader does not know
     */
    public InputStream open(String name) throws IOException {
        ZipMember m = entry(name).orElseThrow(() -> missing(name));
        if (m.encrypted()) {
            throw new IOException("member " + name + " of " + uri() + " is encrypted; encrypted entries are not supported");
        }
        long data = dataOffset(m, true);
        InputStream raw = new SliceInputStream(base(), data, data + m.compressedSize());
        InputStream decoded = switch (m.method()) {
            case 0 -> raw;
            case 8 -> inflating(raw);
            case 9 -> new Deflate64CompressorInputStream(raw);
            case 12 -> new BZip2CompressorInputStream(raw);
            case 93 -> new ZstdInputStream(raw);
            default -> throw new IOException("member " + name + " of " + uri() + " uses compression method "
                    + m.method() + "; supported: 0 (stored), 8 (deflate), 9 (deflate64), 12 (bzip2), 93 (zstd)");
        };
        return new Checked(decoded, m, uri().toString());
    }

    /**
     * The decompressed bytes of a member, checked against its CRC-32.
     *
     * @throws FileNotFoundException if there is no member of that name
     */
    public byte[] readMember(String name) throws IOException {
        Optional<ZipMember> m = entry(name);
        if (m.isPresent() && m.get().size() > Integer.MAX_VALUE - 8) {
            throw new IOException("member " + name + " of " + uri() + " is " + m.get().size()
                    + " bytes, too large for one array; use open(name)");
        }
        try (InputStream in = open(name)) {
            return in.readAllBytes();
        }
    }

    private ZipDirectory directory() throws IOException {
        synchronized (lock) {
            if (directory == null) {
                directory = ZipDirectory.read(base());
            }
            return directory;
        }
    }

    private static InputStream inflating(InputStream raw) {
        Inflater inflater = new Inflater(true);
        return new InflaterInputStream(raw, inflater, 8192) {
            private boolean ended;

            @Override
            public void close() throws IOException {
                if (!ended) {
                    ended = true;
                    inflater.end();
                }
                super.close();
            }
        };
    }

    /** Checks the CRC-32 and size of a member's bytes when its end is reached. */
    private static final class Checked extends FilterInputStream {
        private final ZipMember member;
        private final String archive;
        private final CRC32 crc = new CRC32();
        private long count;
        private boolean checked;

        Checked(InputStream in, ZipMember member, String archive) {
            super(in);
            this.member = member;
            this.archive = archive;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(b, off, len);
            } catch (RuntimeException | IOException e) {
                // Decoders report corrupt data (unchecked, some of them) without naming member or archive.
                if (e instanceof IOException io && io.getMessage() != null && io.getMessage().contains(archive)) {
                    throw io;
                }
                throw new IOException("cannot decompress member " + member.name() + " of " + archive + ": "
                        + e.getMessage(), e);
            }
            if (n > 0) {
                crc.update(b, off, n);
                count += n;
                if (count > member.size()) {
                    throw new IOException("member " + member.name() + " of " + archive + " decompresses to more than its "
                            + member.size() + " bytes");
                }
            } else if (n < 0 && !checked) {
                checked = true;
                if (count != member.size()) {
                    throw new IOException("member " + member.name() + " of " + archive + " decompressed to " + count
                            + " bytes, expected " + member.size());
                }
                if (crc.getValue() != member.crc()) {
                    throw new IOException(String.format("CRC mismatch in member %s of %s: expected %08x, got %08x",
                            member.name(), archive, member.crc(), crc.getValue()));
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(8192, Math.max(0, n))];
            long left = n;
            while (left > 0) {
                int r = read(buf, 0, (int) Math.min(buf.length, left));
                if (r < 0) {
                    break;
                }
                left -= r;
            }
            return n - Math.max(0, left);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
