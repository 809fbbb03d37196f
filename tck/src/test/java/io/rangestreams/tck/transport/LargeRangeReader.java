package io.rangestreams.tck.transport;

import io.rangestreams.Range;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeTransport;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.zip.CRC32;

/**
 * Run in a JVM with a small heap by {@link LargeRangeStreamingTest}: reads one large range through a
 * transport. Prints {@code read N bytes, crc32 C, max heap M} and exits 0, or prints what went wrong and
 * exits 1; the test compares the CRC with the server's content.
 *
 * <p>Arguments: transport kind, URI, start, length.
 */
final class LargeRangeReader {

    private LargeRangeReader() {}

    public static void main(String[] args) throws IOException {
        TransportKind kind = TransportKind.valueOf(args[0]);
        URI uri = URI.create(args[1]);
        long start = Long.parseLong(args[2]);
        long length = Long.parseLong(args[3]);
        long read = 0;
        CRC32 crc = new CRC32();
        try (RangeTransport transport = kind.create(TransportKind.options());
                RangeResponse response = transport.send(RangeRequest.get(uri, Range.of(start, start + length)));
                InputStream body = response.body()) {
            if (response.status() != 206) {
                fail(kind + ": status " + response.status() + " for " + uri);
            }
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = body.read(buf)) >= 0) {
                crc.update(buf, 0, n);
                read += n;
            }
        }
        if (read != length) {
            fail(kind + ": read " + read + " bytes, expected " + length);
        }
        System.out.println("read " + read + " bytes, crc32 " + crc.getValue() + ", max heap "
                + Runtime.getRuntime().maxMemory());
        System.exit(0);
    }

    private static void fail(String message) {
        System.out.println(message);
        System.exit(1);
    }
}
