package io.rangestreams.format.tar;

import io.rangestreams.Range;
import io.rangestreams.RangeStream;
import io.rangestreams.format.ForwardingRangeStream;
import io.rangestreams.format.ScanWindow;
import io.rangestreams.format.SliceInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An uncompressed tar archive over HTTP. {@link #members()} reads only the headers (and pax or GNU
 * extended headers), skipping every member's data: headers close together are fetched in growing
 * windows, headers far apart one at a time. {@link #member(String)}, {@link #open(String)} and
 * {@link #readMember(String)} read headers only as far as the member asked for, so a member near the
 * start of a large archive costs a request or two whatever the archive's size. Members are read with one
 * range each.
 *
 * <p>A name is looked up as its first occurrence in the archive. An archive appended to
 * ({@code tar --append}) may hold later copies of a name, which {@link #members()} lists.
 *
 * <pre>{@code
 * try (TarStream tar = client.open(uri, TarStream.class)) {
 *     for (TarMember m : tar.members()) System.out.println(m.permissions() + " " + m.size() + " " + m.name());
 *     byte[] readme = tar.readMember("docs/README");
 * }
 * }</pre>
 *
 * <p>Thread-safe: headers are read once, in order, under a lock.
 */
public final class TarStream extends ForwardingRangeStream {

    private final Object lock = new Object();
    private final List<TarMember> seen = new ArrayList<>();
    private TarHeaders headers;
    private List<TarMember> members;

    /** A tar stream over {@code base}, which it owns; sends nothing yet. */
    public TarStream(RangeStream base) {
        super(base);
    }

    /**
     * Lists the members of a tar archive held in memory (as a decompressed {@code .tar.zst} is).
     *
     * @param what names the archive in error messages
     * @throws IOException if the bytes are not a tar archive, or a member runs past their end
     */
    public static List<TarMember> list(byte[] tar, String what) throws IOException {
        Objects.requireNonNull(tar, "tar");
        TarHeaders.Source bytes = new TarHeaders.Source() {
            @Override
            public byte[] read(long position, int size) {
                return position >= tar.length ? new byte[0]
                        : Arrays.copyOfRange(tar, (int) position, (int) Math.min(tar.length, position + size));
            }

            @Override
            public long length() {
                return tar.length;
            }
        };
        return drain(new TarHeaders(bytes, what), new ArrayList<>());
    }

    /**
     * Lists the members of a tar archive read once from its start, skipping every member's data (as a
     * {@code .tar.zst} is read through a decompressor). Memory stays bounded whatever the archive's size.
     *
     * @param what names the archive in error messages
     * @throws IOException if the bytes are not a tar archive, or reading fails
     */
    public static List<TarMember> list(InputStream tar, String what) throws IOException {
        Objects.requireNonNull(tar, "tar");
        return drain(new TarHeaders(new ForwardSource(tar, what), what), new ArrayList<>());
    }

    private static List<TarMember> drain(TarHeaders walk, List<TarMember> into) throws IOException {
        for (Optional<TarMember> m = walk.next(); m.isPresent(); m = walk.next()) {
            into.add(m.get());
        }
        return List.copyOf(into);
    }

    /**
     * The members, in archive order; read on first call.
     *
     * @throws IOException if the resource is not a tar archive (the message names the offset)
     */
    public List<TarMember> members() throws IOException {
        synchronized (lock) {
            if (members == null) {
                members = drain(walk(), seen);
            }
            return members;
        }
    }

    /**
     * The first member of that name, reading headers only as far as it (all of them when there is none).
     *
     * @throws IOException if the headers before it are not those of a tar archive
     */
    public Optional<TarMember> member(String name) throws IOException {
        Objects.requireNonNull(name, "name");
        synchronized (lock) {
            for (TarMember m : seen) {
                if (m.name().equals(name)) {
                    return Optional.of(m);
                }
            }
            if (members != null) {
                return Optional.empty();
            }
            TarHeaders walk = walk();
            for (Optional<TarMember> m = walk.next(); m.isPresent(); m = walk.next()) {
                seen.add(m.get());
                if (m.get().name().equals(name)) {
                    return m;
                }
            }
            members = List.copyOf(seen);
            return Optional.empty();
        }
    }

    /**
     * What the member of that name links to: a symbolic link's target or the member a hard link names;
     * empty for a member that is not a link.
     *
     * @throws FileNotFoundException if there is no member of that name
     */
    public Optional<String> linkTarget(String name) throws IOException {
        return require(name).linkTarget();
    }

    /**
     * The data of a member as a stream: a link or a directory has none (an empty stream).
     *
     * @throws FileNotFoundException if there is no member of that name
     */
    public InputStream open(String name) throws IOException {
        TarMember m = require(name);
        return new SliceInputStream(base(), m.dataOffset(), m.dataOffset() + dataSize(m));
    }

    /**
     * The data of a member, in one range request if it is not held yet.
     *
     * @throws FileNotFoundException if there is no member of that name
     */
    public byte[] readMember(String name) throws IOException {
        TarMember m = require(name);
        if (dataSize(m) > Integer.MAX_VALUE - 8) {
            throw new IOException("member " + name + " of " + uri() + " is " + m.size()
                    + " bytes, too large for one array; use open(name)");
        }
        return read(Range.of(m.dataOffset(), m.dataOffset() + dataSize(m)));
    }

    /** Only regular files carry data worth reading; other types' size fields are not trusted. */
    private static long dataSize(TarMember m) {
        return m.isRegularFile() || m.type() == TarMember.Type.OTHER ? m.size() : 0;
    }

    private TarHeaders walk() {
        if (headers == null) {
            ScanWindow scan = new ScanWindow(base());
            headers = new TarHeaders(new TarHeaders.Source() {
                @Override
                public byte[] read(long position, int size) throws IOException {
                    return scan.read(position, size);
                }

                @Override
                public long length() throws IOException {
                    return TarStream.this.length(); // known from the first read's response
                }
            }, uri().toString());
        }
        return headers;
    }

    private TarMember require(String name) throws IOException {
        return member(name).orElseThrow(() -> new FileNotFoundException("no member '" + name + "' in tar archive "
                + uri()));
    }
}
