package io.rangestreams.tck.mapdb;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.Revalidation;
import java.io.IOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The "second run" of a program using the MapDB store, in its own JVM: opens the store file with
 * {@code RangeClient.builder().transport("jdk").store("mapdb:" + file)}, reads ranges of one URI and
 * prints, for each, {@code range START STOP SHA-256}, then {@code stats REQUESTS BYTES_FETCHED
 * BYTES_FROM_STORE} and {@code done}.
 *
 * <p>Arguments: the store file, the URI, the revalidation ({@code ONCE}, {@code NEVER},
 * {@code ALWAYS}), then ranges as {@code start-stop} (half-open).
 */
public final class SecondRun {

    private SecondRun() {}

    /** Reads the ranges and reports them. */
    public static void main(String[] args) throws IOException, NoSuchAlgorithmException {
        String file = args[0];
        URI uri = URI.create(args[1]);
        Revalidation revalidation = Revalidation.valueOf(args[2]);
        try (RangeClient client = RangeClient.builder()
                        .transport("jdk")
                        .store("mapdb:" + file)
                        .revalidation(revalidation)
                        .build();
                RangeStream stream = client.open(uri)) {
            for (int i = 3; i < args.length; i++) {
                String[] bounds = args[i].split("-");
                Range range = Range.of(Long.parseLong(bounds[0]), Long.parseLong(bounds[1]));
                byte[] bytes = stream.read(range);
                System.out.println("range " + range.start() + " " + range.stop() + " " + sha256(bytes));
            }
            RangeStream.Stats stats = stream.stats();
            System.out.println("stats " + stats.requests() + " " + stats.bytesFetched() + " " + stats.bytesFromStore());
        }
        System.out.println("done");
        System.out.flush();
    }

    static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
