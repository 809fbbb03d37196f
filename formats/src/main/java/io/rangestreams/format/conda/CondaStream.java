package io.rangestreams.format.conda;

import io.airlift.compress.zstd.ZstdInputStream;
import io.rangestreams.RangeStream;
import io.rangestreams.format.ForwardingRangeStream;
import io.rangestreams.format.tar.TarMember;
import io.rangestreams.format.tar.TarStream;
import io.rangestreams.format.zip.ZipMember;
import io.rangestreams.format.zip.ZipStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A conda package ({@code .conda}): a zip holding {@code metadata.json}, {@code info-*.tar.zst} and
 * {@code pkg-*.tar.zst}. Reads the zip directory (one suffix request), {@code metadata.json} and the
 * info archive (decompressed with a pure-Java zstd decoder); the package payload is fetched only by
 * {@link #packageMembers()}.
 *
 * <pre>{@code
 * try (CondaStream conda = client.open(uri, CondaStream.class)) {
 *     for (ZipMember m : conda.archive().entries()) System.out.println(m.name());
 *     for (TarMember m : conda.infoMembers()) System.out.println(m.permissions() + " " + m.name());
 *     String index = new String(conda.readInfoMember("info/index.json"), UTF_8);
 * }
 * }</pre>
 *
 * <p>Thread-safe: the info archive is fetched and decompressed once, under a lock.
 */
public final class CondaStream extends ForwardingRangeStream {

    /** The largest decompressed info archive accepted. */
    static final int MAX_INFO = 256 * 1024 * 1024;

    private final ZipStream zip;
    private final Object lock = new Object();
    private byte[] info;
    private List<TarMember> infoMembers;

    /** A conda stream over {@code base}, which it owns; sends nothing yet. */
    public CondaStream(RangeStream base) {
        super(base);
        this.zip = new ZipStream(base);
    }

    /** The package as the zip archive it is: its {@link ZipStream#entries()} are the package's members. */
    public ZipStream archive() {
        return zip;
    }

    /**
     * The text of {@code metadata.json}.
     *
     * @throws FileNotFoundException if the package has none
     */
    public String metadataJson() throws IOException {
        return new String(zip.readMember("metadata.json"), StandardCharsets.UTF_8);
    }

    /**
     * The members of the info archive ({@code info-*.tar.zst}), e.g. {@code info/index.json}; their offsets
     * are within the decompressed archive.
     *
     * @throws FileNotFoundException if the package has no info archive
     */
    public List<TarMember> infoMembers() throws IOException {
        synchronized (lock) {
            loadInfo();
            return infoMembers;
        }
    }

    /**
     * The members of the package payload ({@code pkg-*.tar.zst}), the files the package installs; their
     * offsets are within the decompressed archive. This fetches and decompresses the whole payload (a
     * zstd stream can only be read from its start), keeping only the headers in memory.
     *
     * @throws FileNotFoundException if the package has no payload archive
     */
    public List<TarMember> packageMembers() throws IOException {
        ZipMember member = inner("pkg-");
        String what = member.name() + " of " + uri();
        try (InputStream tar = new ZstdInputStream(zip.open(member.name()))) {
            return TarStream.list(tar, what);
        } catch (RuntimeException | IOException e) {
            throw undecodable(member, e);
        }
    }

    /**
     * The bytes of one file of the info archive.
     *
     * @throws FileNotFoundException if there is no such file
     */
    public byte[] readInfoMember(String name) throws IOException {
        Objects.requireNonNull(name, "name");
        synchronized (lock) {
            loadInfo();
            for (int i = infoMembers.size() - 1; i >= 0; i--) {
                TarMember m = infoMembers.get(i);
                if (m.name().equals(name) || m.name().equals("./" + name)) {
                    return Arrays.copyOfRange(info, (int) m.dataOffset(), (int) (m.dataOffset() + m.size()));
                }
            }
        }
        throw new FileNotFoundException("no file '" + name + "' in the info archive of conda package " + uri());
    }

    private ZipMember inner(String prefix) throws IOException {
        return zip.entries().stream()
                .filter(m -> m.name().startsWith(prefix) && m.name().endsWith(".tar.zst"))
                .findFirst()
                .orElseThrow(() -> new FileNotFoundException(uri() + " is not a conda package: it has no " + prefix
                        + "*.tar.zst member"));
    }

    /**
     * The decoder reports corrupt input with exceptions (unchecked ones too) whose messages name neither
     * member nor URL; a failure that already names the URL passes unchanged.
     */
    private IOException undecodable(ZipMember member, Exception e) {
        if (e instanceof IOException io && io.getMessage() != null && io.getMessage().contains(uri().toString())) {
            return io;
        }
        return new IOException("cannot decompress " + member.name() + " of " + uri() + " (zstd): " + e.getMessage(), e);
    }

    private void loadInfo() throws IOException {
        if (info != null) {
            return;
        }
        ZipMember member = inner("info-");
        byte[] tar;
        try (InputStream in = new ZstdInputStream(zip.open(member.name()))) {
            tar = readLimited(in, member.name());
        } catch (RuntimeException | IOException e) {
            throw undecodable(member, e);
        }
        List<TarMember> members = TarStream.list(tar, member.name() + " of " + uri());
        info = tar;
        infoMembers = members;
    }

    private byte[] readLimited(InputStream in, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            if (out.size() > MAX_INFO) {
                throw new IOException(name + " of " + uri() + " decompresses to more than " + MAX_INFO + " bytes");
            }
        }
        return out.toByteArray();
    }
}
