package io.rangestreams.format.zip;

import io.rangestreams.RangeStream;
import io.rangestreams.spi.RangeStreamProvider;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Makes {@link ZipStream}s; recognises zip-family names ({@code .zip}, {@code .jar}, {@code .whl} ...)
 * and the {@code PK} magic, but not {@code .conda} names, which the conda provider claims.
 */
public final class ZipStreamProvider implements RangeStreamProvider<ZipStream> {

    private static final String[] NAMES = {".zip", ".jar", ".war", ".ear", ".whl", ".apk", ".nupkg", ".xpi"};

    /** A provider; does nothing until asked. */
    public ZipStreamProvider() {}

    @Override
    public String format() {
        return "zip";
    }

    @Override
    public Class<ZipStream> type() {
        return ZipStream.class;
    }

    @Override
    public ZipStream open(RangeStream stream) {
        return new ZipStream(stream);
    }

    @Override
    public boolean recognises(String fileName, ByteBuffer head) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".conda")) {
            return false;
        }
        for (String suffix : NAMES) {
            if (lower.endsWith(suffix)) {
                return true;
            }
        }
        if (head.remaining() < 4) {
            return false;
        }
        int p = head.position();
        return head.get(p) == 'P' && head.get(p + 1) == 'K'
                && (head.get(p + 2) == 3 && head.get(p + 3) == 4 || head.get(p + 2) == 5 && head.get(p + 3) == 6);
    }
}
