package io.rangestreams.tck.redis;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import java.io.IOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One worker of a fleet, in its own JVM: reads ranges of one URI through the store a spec names
 * (readahead off, so it fetches what it reads) and prints, for each, {@code range START STOP SHA-256},
 * then {@code stats REQUESTS BYTES_FETCHED BYTES_FROM_STORE} and {@code done}. It waits for a line on
 * standard input before reading, so a test can start a fleet and release it at once.
 *
 * <p>Arguments: the store spec, the URI, then ranges as {@code start-stop} (half-open).
 */
public final class FleetReader {

    private FleetReader() {}

    /** Reads the ranges and reports them. */
    public static void main(String[] args) throws IOException, NoSuchAlgorithmException {
        try (RangeClient client = RangeClient.builder().transport("jdk").store(args[0]).readahead(0, 1).build();
                RangeStream stream = client.open(URI.create(args[1]))) {
            System.out.println("ready");
            System.out.flush();
            System.in.read();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int i = 2; i < args.length; i++) {
                String[] bounds = args[i].split("-");
                Range range = Range.of(Long.parseLong(bounds[0]), Long.parseLong(bounds[1]));
                String digest = HexFormat.of().formatHex(sha.digest(stream.read(range)));
                System.out.println("range " + range.start() + " " + range.stop() + " " + digest);
            }
            RangeStream.Stats stats = stream.stats();
            System.out.println("stats " + stats.requests() + " " + stats.bytesFetched() + " " + stats.bytesFromStore());
        }
        System.out.println("done");
        System.out.flush();
    }
}
