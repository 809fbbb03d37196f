package io.rangestreams.format.png;

import io.rangestreams.RangeStream;
import io.rangestreams.spi.RangeStreamProvider;
import java.nio.ByteBuffer;
import java.util.Locale;

/** Makes {@link PngStream}s; recognises {@code .png} names and the 8-byte PNG signature. */
public final class PngStreamProvider implements RangeStreamProvider<PngStream> {

    /** A provider; does nothing until asked. */
    public PngStreamProvider() {}

    @Override
    public String format() {
        return "png";
    }

    @Override
    public Class<PngStream> type() {
        return PngStream.class;
    }

    @Override
    public PngStream open(RangeStream stream) {
        return new PngStream(stream);
    }

    @Override
    public boolean recognises(String fileName, ByteBuffer head) {
        if (fileName.toLowerCase(Locale.ROOT).endsWith(".png")) {
            return true;
        }
        if (head.remaining() < PngStream.SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < PngStream.SIGNATURE.length; i++) {
            if (head.get(head.position() + i) != PngStream.SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }
}
