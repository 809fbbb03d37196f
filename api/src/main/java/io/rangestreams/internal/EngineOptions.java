package io.rangestreams.internal;

import io.rangestreams.ChangePolicy;
import io.rangestreams.Revalidation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The engine's tuning, as set on the client builder. Defaults and the measurements behind them are in
 * the README ("Tuning").
 *
 * @param blockSize requests are aligned to multiples of this
 * @param readaheadInitial readahead after the second sequential read
 * @param readaheadMax the most readahead grows to while reads stay sequential
 * @param maxGap held or unwanted bytes up to this size between two gaps are fetched rather than split
 * @param maxRequestSize the largest single request
 * @param parallelism the most requests one stream runs at once
 * @param retries how many times a failed or cut-short request is retried
 * @param retryAfterCap the longest {@code Retry-After} honoured, and the backoff ceiling
 * @param fallbackMemoryLimit the memory limit of the buffer used when a server ignores ranges
 * @param fallbackMaxBytes the most that buffer takes from the server, if set; else the store's bound when
 *     it has one, else {@link #DEFAULT_FALLBACK_MAX_BYTES}
 * @param spillDirectory where that buffer spills, if not the default temporary directory
 * @param revalidation when held bytes are validated
 * @param onChange what happens when the remote file changed
 * @param maxRangesPerRequest the most planned ranges sent together in one multi-range request; 1 sends
 *     each alone
 */
public record EngineOptions(int blockSize, long readaheadInitial, long readaheadMax, long maxGap,
        long maxRequestSize, int parallelism, int retries, Duration retryAfterCap, long fallbackMemoryLimit,
        OptionalLong fallbackMaxBytes, Optional<Path> spillDirectory, Revalidation revalidation, ChangePolicy onChange,
        int maxRangesPerRequest) {

    /**
     * The fallback's bound when neither the client nor the store sets one: 1 GiB, more than a file read
     * whole through a server that ignores ranges is likely to need, yet too little for an endless body to
     * fill a disk.
     */
    public static final long DEFAULT_FALLBACK_MAX_BYTES = 1L << 30;

    /** Validates the options, naming the bad value. */
    public EngineOptions {
        positive("blockSize", blockSize);
        positive("readaheadMax", readaheadMax);
        if (readaheadInitial < 0 || readaheadInitial > readaheadMax) {
            throw new IllegalArgumentException("readahead initial must be between 0 and the maximum " + readaheadMax
                    + ", was " + readaheadInitial);
        }
        if (maxGap < 0) {
            throw new IllegalArgumentException("maxGap must not be negative, was " + maxGap);
        }
        if (maxRequestSize < blockSize) {
            throw new IllegalArgumentException("maxRequestSize " + maxRequestSize + " must be at least the block size "
                    + blockSize);
        }
        positive("parallelism", parallelism);
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative, was " + retries);
        }
        Objects.requireNonNull(retryAfterCap, "retryAfterCap");
        if (retryAfterCap.isNegative()) {
            throw new IllegalArgumentException("retryAfterCap must not be negative, was " + retryAfterCap);
        }
        positive("fallbackMemoryLimit", fallbackMemoryLimit);
        Objects.requireNonNull(fallbackMaxBytes, "fallbackMaxBytes");
        fallbackMaxBytes.ifPresent(b -> positive("fallbackMaxBytes", b));
        Objects.requireNonNull(spillDirectory, "spillDirectory");
        Objects.requireNonNull(revalidation, "revalidation");
        Objects.requireNonNull(onChange, "onChange");
        if (maxRangesPerRequest < 1) {
            throw new IllegalArgumentException("maxRangesPerRequest must be at least 1 (1 sends each range alone), was "
                    + maxRangesPerRequest);
        }
    }

    /**
     * The defaults: 64 KiB blocks (also the size of a footer's suffix request), readahead 64 KiB to
     * 32 MiB, 64 KiB max gap, 32 MiB requests, 16 parallel (as many as a transport's default
     * connections per host, so batched reads hide latency). The readahead window is large because a
     * client that pays a fixed cost per request reads sequentially near a plain GET's speed only with
     * few, large requests (docs/performance.md, "The sequential read"). One range per request.
     */
    public static EngineOptions defaults() {
        return new EngineOptions(64 * 1024, 64 * 1024, 32 * 1024 * 1024, 64 * 1024, 32 * 1024 * 1024, 16, 3,
                Duration.ofSeconds(10), 5 * 1024 * 1024, OptionalLong.empty(), Optional.empty(), Revalidation.ONCE, ChangePolicy.REFETCH,
                1);
    }

    /** The fallback's bound over a store holding at most {@code storeMaxBytes}. */
    public long fallbackMaxBytes(long storeMaxBytes) {
        return fallbackMaxBytes.orElse(storeMaxBytes < Long.MAX_VALUE ? storeMaxBytes : DEFAULT_FALLBACK_MAX_BYTES);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
