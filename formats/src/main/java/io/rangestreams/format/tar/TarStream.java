package io.rangestreams.format.tar;

import io.rangestreams.Range;
import io.rangestreams.RangeStream;
import io.rangestreams.format.ForwardingRangeStream;
import io.rangestreams.format.ScanWindow;
import io.rangestreams.format.SliceInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An uncompressed tar archive over HTTP. {@link #members()} reads only the headers (and pax or GNU
 * extended headers), skipping every member's data: headers close together are fetched in growing
 * windows, headers far apart one at a time. Members are read with one range each.
 *
 * <pre>{@code
 * try (TarStream tar = client.open(uri, TarStream.class)) {
 *     for (TarMember m : tar.members()) System.out.println(m.name() + " " + m.size());
 *     byte[] readme = tar.readMember("docs/README");
 * }
 * }</pre>
 *
 * <p>Thread-safe: the listing is read once, under a lock.
 */
public final class TarStream extends ForwardingRangeStream {

    private final Object lock = new Object();
    private List<TarMember> members;

    /** A tar stream over {@code base}, which it owns; sends nothing yet. */
    public TarStream(RangeStream base) {
        super(base);
    }

    /**
     * Lists the members of a tar archive held in memory (as a decompressed {@code .tar.zst} is).
     *
     * @param what names the archive in error messages
     * @throws IOException if the bytes are not a tar archive
     */
    public static List<TarMember> list(byte[] tar, String what) throws IOException {
        Objects.requireNonNull(tar, "tar");
        return List.copyOf(TarHeaders.list((position, size) -> position >= tar.length ? new byte[0]
                : Arrays.copyOfRange(tar, (int) position, (int) Math.min(tar.length, position + size)), what));
    }

    /**
     * The members, in archive order; read on first call.
     *
     * @throws IOException if the resource is not a tar archive (the message names the offset)
     */
    public List<TarMember> members() throws IOException {
        synchronized (lock) {
            if (members == null) {
                ScanWindow scan = new ScanWindow(base());
                members = List.copyOf(TarHeaders.list(scan::read, uri().toString()));
            }
            return members;
        }
    }

    /** The member of that name (the last one, if the archive holds several). */
    public Optional<TarMember> member(String name) throws IOException {
        Objects.requireNonNull(name, "name");
        List<TarMember> all = members();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).name().equals(name)) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * The data of a member as a stream.
     *
     * @throws FileNotFoundException if there is no member of that name
     */
    public InputStream open(String name) throws IOException {
        TarMember m = require(name);
        return new SliceInputStream(base(), m.dataOffset(), m.dataOffset() + m.size());
    }

    /**
     * The data of a member, in one range request if it is not held yet.
     *
     * @throws FileNotFoundException if there is no member of that name
     */
    public byte[] readMember(String name) throws IOException {
        TarMember m = require(name);
        if (m.size() > Integer.MAX_VALUE - 8) {
            throw new IOException("member " + name + " of " + uri() + " is " + m.size()
                    + " bytes, too large for one array; use open(name)");
        }
        return read(Range.of(m.dataOffset(), m.dataOffset() + m.size()));
    }

    private TarMember require(String name) throws IOException {
        return member(name).orElseThrow(() -> new FileNotFoundException("no member '" + name + "' in tar archive "
                + uri()));
    }
}
