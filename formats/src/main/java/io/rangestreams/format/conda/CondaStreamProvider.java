package io.rangestreams.format.conda;

import io.rangestreams.RangeStream;
import io.rangestreams.spi.RangeStreamProvider;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Makes {@link CondaStream}s; recognises {@code .conda} names only, since by its bytes a conda package is
 * an ordinary zip.
 */
public final class CondaStreamProvider implements RangeStreamProvider<CondaStream> {

    /** A provider; does nothing until asked. */
    public CondaStreamProvider() {}

    @Override
    public String format() {
        return "conda";
    }

    @Override
    public Class<CondaStream> type() {
        return CondaStream.class;
    }

    @Override
    public CondaStream open(RangeStream stream) {
        return new CondaStream(stream);
    }

    @Override
    public boolean recognises(String fileName, ByteBuffer head) {
        return fileName.toLowerCase(Locale.ROOT).endsWith(".conda");
    }
}
