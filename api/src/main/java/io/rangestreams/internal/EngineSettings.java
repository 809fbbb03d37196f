package io.rangestreams.internal;

import io.rangestreams.ChangePolicy;
import io.rangestreams.Revalidation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The engine's options as a client builder collects them, one setting at a time: each change is validated
 * with the others at once, and a bad one is undone and reported, changing nothing. Not thread-safe.
 */
public final class EngineSettings {

    private int blockSize;
    private long readaheadInitial;
    private long readaheadMax;
    private long maxGap;
    private long maxRequestSize;
    private int parallelism;
    private int retries;
    private Duration retryAfterCap;
    private long fallbackMemoryLimit;
    private OptionalLong fallbackMaxBytes;
    private Optional<Path> spillDirectory;
    private Revalidation revalidation;
    private ChangePolicy onChange;
    private int maxRangesPerRequest;

    /** Settings holding {@link EngineOptions#defaults()}. */
    public EngineSettings() {
        EngineOptions d = EngineOptions.defaults();
        blockSize = d.blockSize();
        readaheadInitial = d.readaheadInitial();
        readaheadMax = d.readaheadMax();
        maxGap = d.maxGap();
        maxRequestSize = d.maxRequestSize();
        parallelism = d.parallelism();
        retries = d.retries();
        retryAfterCap = d.retryAfterCap();
        fallbackMemoryLimit = d.fallbackMemoryLimit();
        fallbackMaxBytes = d.fallbackMaxBytes();
        spillDirectory = d.spillDirectory();
        revalidation = d.revalidation();
        onChange = d.onChange();
        maxRangesPerRequest = d.maxRangesPerRequest();
    }

    /** The options as set now. */
    public EngineOptions options() {
        return new EngineOptions(blockSize, readaheadInitial, readaheadMax, maxGap, maxRequestSize, parallelism,
                retries, retryAfterCap, fallbackMemoryLimit, fallbackMaxBytes, spillDirectory, revalidation, onChange,
                maxRangesPerRequest);
    }

    /** Validates the options after a change; a bad one is undone and reported, changing nothing. */
    private void tuned(Runnable undo) {
        try {
            options();
        } catch (RuntimeException e) {
            undo.run();
            throw e;
        }
    }

    /** Sets one option to {@code value}, undone if the options then fail validation. */
    private <T> void change(Supplier<T> current, Consumer<T> set, T value) {
        T before = current.get();
        set.accept(value);
        tuned(() -> set.accept(before));
    }

    /** Sets the block size, raising the largest request to it when smaller. */
    public void blockSize(int bytes) {
        int blockBefore = blockSize;
        long requestBefore = maxRequestSize;
        blockSize = bytes;
        maxRequestSize = Math.max(maxRequestSize, bytes);
        tuned(() -> {
            blockSize = blockBefore;
            maxRequestSize = requestBefore;
        });
    }

    /** Sets the first and the largest readahead window. */
    public void readahead(long initial, long max) {
        long initialBefore = readaheadInitial;
        long maxBefore = readaheadMax;
        readaheadInitial = initial;
        readaheadMax = max;
        tuned(() -> {
            readaheadInitial = initialBefore;
            readaheadMax = maxBefore;
        });
    }

    /** Sets the largest gap fetched in one request with its neighbours. */
    public void maxGap(long bytes) {
        change(() -> maxGap, v -> maxGap = v, bytes);
    }

    /** Sets the largest request planned. */
    public void maxRequestSize(long bytes) {
        change(() -> maxRequestSize, v -> maxRequestSize = v, bytes);
    }

    /** Sets the most requests one stream runs at once. */
    public void parallelism(int requests) {
        change(() -> parallelism, v -> parallelism = v, requests);
    }

    /** Sets how many times a request is retried. */
    public void retries(int times) {
        change(() -> retries, v -> retries = v, times);
    }

    /** Sets the longest {@code Retry-After} honoured. */
    public void retryAfterCap(Duration cap) {
        change(() -> retryAfterCap, v -> retryAfterCap = v, cap);
    }

    /** Sets the memory limit of the fallback buffer. */
    public void fallbackMemoryLimit(long bytes) {
        change(() -> fallbackMemoryLimit, v -> fallbackMemoryLimit = v, bytes);
    }

    /** Sets the most bytes the fallback buffer takes. */
    public void fallbackMaxBytes(long bytes) {
        change(() -> fallbackMaxBytes, v -> fallbackMaxBytes = v, OptionalLong.of(bytes));
    }

    /** Sets where the fallback buffer spills. */
    public void spillDirectory(Path directory) {
        change(() -> spillDirectory, v -> spillDirectory = v, Optional.of(directory));
    }

    /** Sets when held bytes are validated. */
    public void revalidation(Revalidation value) {
        change(() -> revalidation, v -> revalidation = v, value);
    }

    /** Sets what happens when the remote file changed. */
    public void onChange(ChangePolicy policy) {
        change(() -> onChange, v -> onChange = v, policy);
    }

    /** Sets the most planned ranges sent together in one multi-range request. */
    public void maxRangesPerRequest(int ranges) {
        change(() -> maxRangesPerRequest, v -> maxRangesPerRequest = v, ranges);
    }
}
