package io.rangestreams.bench;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.format.zip.ZipMember;
import io.rangestreams.format.zip.ZipStream;
import io.rangestreams.format.zip.ZipStreamProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The peer comparison's workloads through this library, one per run, for {@code peer-compare.sh}:
 *
 * <pre>
 * java -cp benchmarks.jar io.rangestreams.bench.PeerWorkloads zip-list URL
 * java -cp benchmarks.jar io.rangestreams.bench.PeerWorkloads sequential URL
 * java -cp benchmarks.jar io.rangestreams.bench.PeerWorkloads random URL COUNT SIZE SEED
 * </pre>
 *
 * Each prints its result, then {@code stats: requests=N bytes_fetched=N bytes_from_store=N} and the
 * elapsed milliseconds on standard error. The transport is {@code apache} (the command line's default) unless
 * {@code -Drangestreams.transport=...} or {@code RANGESTREAMS_TRANSPORT} names another; the store is
 * memory, capped at 64 MiB. The zip listing goes through the formats module's {@link ZipStream}, as a
 * user's would.
 */
public final class PeerWorkloads {


    private PeerWorkloads() {}

    /** Runs one workload; see the class comment. */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: PeerWorkloads zip-list|sequential|random URL [COUNT SIZE SEED]");
            System.exit(2);
        }
        URI uri = URI.create(args[1]);
        long began = System.nanoTime();
        String transport = System.getProperty("rangestreams.transport",
                System.getenv().getOrDefault("RANGESTREAMS_TRANSPORT", "apache"));
        try (RangeClient client = RangeClient.builder().transport(transport).store("memory?maxBytes=64m").build();
                RangeStream stream = client.open(uri)) {
            switch (args[0]) {
                case "zip-list" -> System.out.println(listZip(stream).size() + " members");
                case "sequential" -> System.out.println(sequential(stream) + " bytes");
                case "random" -> System.out.println(random(stream, Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                        Long.parseLong(args[4])) + " bytes");
                default -> {
                    System.err.println("unknown workload " + args[0] + "; expected zip-list, sequential or random");
                    System.exit(2);
                }
            }
            RangeStream.Stats s = stream.stats();
            System.err.println("stats: requests=" + s.requests() + " bytes_fetched=" + s.bytesFetched()
                    + " bytes_from_store=" + s.bytesFromStore());
        }
        System.err.println("elapsed_ms=" + (System.nanoTime() - began) / 1_000_000);
    }

    /** The member names of a zip, through the formats module's {@link ZipStream}. */
    static List<String> listZip(RangeStream stream) throws IOException {
        ZipStream zip = new ZipStreamProvider().open(stream);
        return zip.entries().stream().map(ZipMember::name).toList();
    }

    private static long sequential(RangeStream stream) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (InputStream in = stream.inputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
            }
        }
        return total;
    }

    private static long random(RangeStream stream, int count, int size, long seed) throws IOException {
        long length = stream.length();
        Random r = new Random(seed);
        List<Range> reads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long start = (long) (r.nextDouble() * (length - size));
            reads.add(Range.of(start, start + size));
        }
        stream.fetchAll(reads);
        long total = 0;
        for (Range range : reads) {
            total += stream.read(range).length;
        }
        return total;
    }
}
