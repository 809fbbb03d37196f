package io.rangestreams.hadoop;

import io.rangestreams.ChangePolicy;
import io.rangestreams.RangeClient;
import io.rangestreams.Revalidation;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;

/**
 * The Hadoop {@link Configuration} keys read by {@link RangeStreamsFileSystem}, and their mapping onto
 * {@link RangeClient.Builder}. A key that is not set leaves the builder's default. Sizes accept Hadoop's
 * suffixes ({@code 64k}, {@code 32m}, {@code 1g}); durations accept units ({@code 500ms}, {@code 10s});
 * a bare number of a duration is milliseconds.
 *
 * <pre>{@code
 * fs.http.impl  = io.rangestreams.hadoop.RangeStreamsFileSystem
 * fs.https.impl = io.rangestreams.hadoop.RangeStreamsFileSystem
 * rangestreams.transport = okhttp
 * rangestreams.store     = mapdb:/var/cache/rs.db?maxBytes=10g
 * }</pre>
 */
public final class RangeStreamsConfiguration {

    /** The transport by name ({@code jdk}, {@code okhttp}, {@code apache}). */
    public static final String TRANSPORT = "rangestreams.transport";
    /** The store spec, {@code name[:location][?key=value&...]}, e.g. {@code memory?maxBytes=256m}. */
    public static final String STORE = "rangestreams.store";
    /** Reads fetch whole blocks of this size (a size). */
    public static final String BLOCK_SIZE = "rangestreams.block.size";
    /** The first readahead window of a sequential read (a size). */
    public static final String READAHEAD_INITIAL = "rangestreams.readahead.initial";
    /** The largest readahead window of a sequential read (a size). */
    public static final String READAHEAD_MAX = "rangestreams.readahead.max";
    /** Gaps closer than this are fetched in one request (a size; 0 turns coalescing off). */
    public static final String MAX_GAP = "rangestreams.max.gap";
    /** The largest request planned for a read or a fetch (a size). */
    public static final String MAX_REQUEST_SIZE = "rangestreams.max.request.size";
    /** The most requests one stream runs at once. */
    public static final String PARALLELISM = "rangestreams.parallelism";
    /** How many times a failed or cut-short request is retried. */
    public static final String RETRIES = "rangestreams.retries";
    /** The longest {@code Retry-After} honoured, and the backoff ceiling (a duration). */
    public static final String RETRY_AFTER_CAP = "rangestreams.retry.after.cap";
    /** The memory limit of the buffer used when a server ignores ranges (a size). */
    public static final String FALLBACK_MEMORY_LIMIT = "rangestreams.fallback.memory.limit";
    /** The directory that buffer spills to. */
    public static final String SPILL_DIRECTORY = "rangestreams.spill.directory";
    /** When held bytes are validated: {@code once}, {@code never} or {@code always}. */
    public static final String REVALIDATION = "rangestreams.revalidation";
    /** What a change of the remote file does: {@code refetch} or {@code fail}. */
    public static final String ON_CHANGE = "rangestreams.on.change";
    /** The connect timeout (a duration). */
    public static final String CONNECT_TIMEOUT = "rangestreams.connect.timeout";
    /** The read timeout (a duration). */
    public static final String READ_TIMEOUT = "rangestreams.read.timeout";
    /** The most connections per host. */
    public static final String MAX_CONNECTIONS = "rangestreams.max.connections";
    /** The most redirects followed per request. */
    public static final String MAX_REDIRECTS = "rangestreams.max.redirects";
    /** An HTTP proxy, {@code host:port}. */
    public static final String PROXY = "rangestreams.proxy";
    /** Prefix of headers sent with every request: {@code rangestreams.header.Authorization = Bearer x}. */
    public static final String HEADER_PREFIX = "rangestreams.header.";
    /**
     * The block size reported in {@link org.apache.hadoop.fs.FileStatus}, which engines use to split
     * files into tasks (a size; default {@value #DEFAULT_FS_BLOCK_SIZE} bytes). It does not change requests.
     */
    public static final String FS_BLOCK_SIZE = "rangestreams.fs.block.size";
    /** The default of {@link #FS_BLOCK_SIZE}: 32 MiB, as S3A's. */
    public static final long DEFAULT_FS_BLOCK_SIZE = 32L << 20;

    private RangeStreamsConfiguration() {}

    /**
     * A client builder configured from the {@code rangestreams.*} keys of {@code conf}.
     *
     * @throws IllegalArgumentException naming the key, for a value that cannot be used
     */
    public static RangeClient.Builder builder(Configuration conf) {
        RangeClient.Builder b = RangeClient.builder();
        try {
            set(conf, TRANSPORT, b::transport);
            set(conf, STORE, b::store);
            if (conf.get(BLOCK_SIZE) != null) {
                b.blockSize(Math.toIntExact(conf.getLongBytes(BLOCK_SIZE, 0)));
            }
            if (conf.get(READAHEAD_INITIAL) != null || conf.get(READAHEAD_MAX) != null) {
                // One key alone keeps the library's default for the other (64 KiB, 32 MiB).
                long max = conf.getLongBytes(READAHEAD_MAX, 32L << 20);
                b.readahead(conf.getLongBytes(READAHEAD_INITIAL, Math.min(max, 64L << 10)), max);
            }
            if (conf.get(MAX_GAP) != null) {
                b.maxGap(conf.getLongBytes(MAX_GAP, 0));
            }
            if (conf.get(MAX_REQUEST_SIZE) != null) {
                b.maxRequestSize(conf.getLongBytes(MAX_REQUEST_SIZE, 0));
            }
            if (conf.get(PARALLELISM) != null) {
                b.parallelism(conf.getInt(PARALLELISM, 0));
            }
            if (conf.get(RETRIES) != null) {
                b.retries(conf.getInt(RETRIES, 0));
            }
            if (conf.get(RETRY_AFTER_CAP) != null) {
                b.retryAfterCap(duration(conf, RETRY_AFTER_CAP));
            }
            if (conf.get(FALLBACK_MEMORY_LIMIT) != null) {
                b.fallbackMemoryLimit(conf.getLongBytes(FALLBACK_MEMORY_LIMIT, 0));
            }
            set(conf, SPILL_DIRECTORY, dir -> b.spillDirectory(Path.of(dir)));
            set(conf, REVALIDATION, v -> b.revalidation(Revalidation.valueOf(v.toUpperCase(Locale.ROOT))));
            set(conf, ON_CHANGE, v -> b.onChange(ChangePolicy.valueOf(v.toUpperCase(Locale.ROOT))));
            if (conf.get(CONNECT_TIMEOUT) != null) {
                b.connectTimeout(duration(conf, CONNECT_TIMEOUT));
            }
            if (conf.get(READ_TIMEOUT) != null) {
                b.readTimeout(duration(conf, READ_TIMEOUT));
            }
            if (conf.get(MAX_CONNECTIONS) != null) {
                b.maxConnections(conf.getInt(MAX_CONNECTIONS, 0));
            }
            if (conf.get(MAX_REDIRECTS) != null) {
                b.maxRedirects(conf.getInt(MAX_REDIRECTS, 0));
            }
            set(conf, PROXY, v -> b.proxy(proxy(v)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad range-streams setting in the Hadoop configuration: "
                    + e.getMessage(), e);
        }
        for (Map.Entry<String, String> h : conf.getPropsWithPrefix(HEADER_PREFIX).entrySet()) {
            b.header(h.getKey(), h.getValue());
        }
        return b;
    }

    /** The block size to report in file statuses. */
    static long fsBlockSize(Configuration conf) {
        long size = conf.getLongBytes(FS_BLOCK_SIZE, DEFAULT_FS_BLOCK_SIZE);
        if (size <= 0) {
            throw new IllegalArgumentException(FS_BLOCK_SIZE + " must be positive, was " + conf.get(FS_BLOCK_SIZE));
        }
        return size;
    }

    /** The client's block size: {@link #BLOCK_SIZE}, else the library's default of 64 KiB. */
    static long readBlockSize(Configuration conf) {
        return conf.getLongBytes(BLOCK_SIZE, 64L << 10);
    }

    private static void set(Configuration conf, String key, Consumer<String> setter) {
        String value = conf.getTrimmed(key);
        if (value != null && !value.isEmpty()) {
            try {
                setter.accept(value);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(key + "=" + value + ": " + e.getMessage(), e);
            }
        }
    }

    private static Duration duration(Configuration conf, String key) {
        return Duration.ofMillis(conf.getTimeDuration(key, 0, TimeUnit.MILLISECONDS));
    }

    private static InetSocketAddress proxy(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("expected host:port");
        }
        return InetSocketAddress.createUnresolved(hostPort.substring(0, colon),
                Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
