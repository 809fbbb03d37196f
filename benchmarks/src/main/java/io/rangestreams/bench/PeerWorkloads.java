package io.rangestreams.bench;

import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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
 * elapsed milliseconds on standard error. The transport is the one discovered (or named by
 * {@code -Drangestreams.transport=...}); the store is memory, capped at 64 MiB.
 *
 * <p>The zip listing reads the end of central directory record and the central directory with plain
 * {@link RangeStream} reads (the formats module's {@code ZipStream} was not on this branch when this
 * was written): one suffix read for the footer, one read for the directory. Zip64 archives are not
 * handled here.
 */
public final class PeerWorkloads {

    private static final int EOCD_SIZE = 22;
    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int CDH_SIGNATURE = 0x02014b50;

    private PeerWorkloads() {}

    /** Runs one workload; see the class comment. */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: PeerWorkloads zip-list|sequential|random URL [COUNT SIZE SEED]");
            System.exit(2);
        }
        URI uri = URI.create(args[1]);
        long began = System.nanoTime();
        try (RangeClient client = RangeClient.builder().store("memory?maxBytes=64m").build();
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

    /** The member names of a zip, from its central directory. */
    static List<String> listZip(RangeStream stream) throws IOException {
        stream.read(Range.suffix(EOCD_SIZE)); // one suffix request: learns the length, brings the tail
        long length = stream.length();
        int window = (int) Math.min(length, 64 * 1024 + EOCD_SIZE - 1);
        // Only what the suffix request brought: the EOCD sits in the last 64 KiB + 21 bytes.
        long tailStart = length - Math.min(window, stream.ranges().rangeContaining(length - 1).map(Range::length)
                .orElse((long) EOCD_SIZE));
        byte[] tail = stream.read(Range.of(tailStart, length));
        int at = -1;
        ByteBuffer t = ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = tail.length - EOCD_SIZE; i >= 0; i--) {
            if (t.getInt(i) == EOCD_SIGNATURE) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            throw new IOException("no end of central directory record in the last " + tail.length + " bytes of "
                    + stream.uri());
        }
        int entries = t.getShort(at + 10) & 0xffff;
        long cdSize = t.getInt(at + 12) & 0xffffffffL;
        long cdOffset = t.getInt(at + 16) & 0xffffffffL;
        ByteBuffer cd = ByteBuffer.wrap(stream.read(Range.of(cdOffset, cdOffset + cdSize))).order(ByteOrder.LITTLE_ENDIAN);
        List<String> names = new ArrayList<>(entries);
        int p = 0;
        while (p + 46 <= cd.limit() && cd.getInt(p) == CDH_SIGNATURE) {
            int nameLength = cd.getShort(p + 28) & 0xffff;
            int extraLength = cd.getShort(p + 30) & 0xffff;
            int commentLength = cd.getShort(p + 32) & 0xffff;
            names.add(new String(cd.array(), p + 46, nameLength, StandardCharsets.UTF_8));
            p += 46 + nameLength + extraLength + commentLength;
        }
        if (names.size() != entries) {
            throw new IOException("central directory of " + stream.uri() + " lists " + names.size()
                    + " members; the end record says " + entries);
        }
        return names;
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
