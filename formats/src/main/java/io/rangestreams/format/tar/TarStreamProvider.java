package io.rangestreams.format.tar;

import io.rangestreams.RangeStream;
import io.rangestreams.spi.RangeStreamProvider;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Makes {@link TarStream}s; recognises {@code .tar} names and the ustar magic at offset 257. */
public final class TarStreamProvider implements RangeStreamProvider<TarStream> {

    /** A provider; does nothing until asked. */
    public TarStreamProvider() {}

    @Override
    public String format() {
        return "tar";
    }

    @Override
    public Class<TarStream> type() {
        return TarStream.class;
    }

    @Override
    public TarStream open(RangeStream stream) {
        return new TarStream(stream);
    }

    @Override
    public boolean recognises(String fileName, ByteBuffer head) {
        if (fileName.toLowerCase(Locale.ROOT).endsWith(".tar")) {
            return true;
        }
        if (head.remaining() < 262) {
            return false;
        }
        byte[] magic = new byte[5];
        head.duplicate().position(head.position() + 257).get(magic);
        return new String(magic, StandardCharsets.US_ASCII).equals("ustar");
    }
}
