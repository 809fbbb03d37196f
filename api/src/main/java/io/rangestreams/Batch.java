package io.rangestreams;

import io.rangestreams.spi.RangeStreamProvider;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Runs one function over many URIs at once, with bounded concurrency, over one client's transport and
 * store (so over its one connection pool). Made by {@link RangeClient#batch()}; {@link
 * RangeClient#forEach} runs one with the defaults.
 *
 * <pre>{@code
 * List<Outcome<Long>> lengths = client.batch()
 *         .withJobs(32)
 *         .withListener(new BatchListener() {
 *             public void finished(Outcome<?> outcome, BatchProgress p) {
 *                 System.err.printf("%d/%d done, %d failed%n", p.done(), p.total(), p.failed());
 *             }
 *         })
 *         .run(uris, RangeStream::length);
 * for (Outcome<Long> o : lengths) {
 *     if (o instanceof Outcome.Success<Long> s) {
 *         System.out.println(s.uri() + " " + s.value());
 *     } else if (o instanceof Outcome.Failure<Long> f) {
 *         System.err.println(f.uri() + ": " + f.error().getMessage());
 *     }
 * }
 * }</pre>
 *
 * <p>Each URI gets its own stream, opened before the function is applied and closed after. At most
 * {@link #jobs()} URIs are at work at once, and at most {@link #jobsPerHost()} of them on one host
 * (scheme, host and port); the URIs start in the order given, except that one whose host is at its
 * limit lets those of other hosts go first. One URI's failure (a 404, a timeout, an invalid URI, an
 * exception of the function) is that URI's {@link Outcome} and does not stop the others. A stream
 * may itself send several requests at once (a vectored fetch, readahead): the transport's own
 * connection limit per host bounds those.
 *
 * <p>Immutable and thread-safe: the {@code with} methods return a new batch; one batch may run many
 * times.
 */
public final class Batch {

    /** The default for {@link #jobs()}. */
    public static final int DEFAULT_JOBS = 20;

    private final RangeClient client;
    private final int jobs;
    private final int jobsPerHost;
    private final BatchListener listener;

    Batch(RangeClient client, int jobs, int jobsPerHost, BatchListener listener) {
        this.client = Objects.requireNonNull(client, "client");
        this.jobs = requirePositive(jobs, "jobs");
        this.jobsPerHost = requirePositive(jobsPerHost, "jobsPerHost");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    private static int requirePositive(int n, String name) {
        if (n < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + n);
        }
        return n;
    }

    /** The most URIs at work at once ({@value #DEFAULT_JOBS} by default). */
    public int jobs() {
        return jobs;
    }

    /**
     * The most URIs at work at once on one host (by default the client's connections per host,
     * {@link RangeClient.Builder#maxConnections(int)}).
     */
    public int jobsPerHost() {
        return jobsPerHost;
    }

    /**
     * This batch with another total limit.
     *
     * @throws IllegalArgumentException if {@code jobs} is less than 1
     */
    public Batch withJobs(int jobs) {
        return new Batch(client, jobs, jobsPerHost, listener);
    }

    /**
     * This batch with another limit per host.
     *
     * @throws IllegalArgumentException if {@code jobsPerHost} is less than 1
     */
    public Batch withJobsPerHost(int jobsPerHost) {
        return new Batch(client, jobs, jobsPerHost, listener);
    }

    /** This batch, telling {@code listener} how it goes (replaces any listener set before). */
    public Batch withListener(BatchListener listener) {
        return new Batch(client, jobs, jobsPerHost, listener);
    }

    /**
     * Applies {@code function} to a stream of each URI and waits for all of them.
     *
     * @return each URI's outcome, in the order given
     * @throws InterruptedException if interrupted while waiting: the batch is then cancelled
     *     ({@link BatchRun#cancel()}) before this throws
     */
    public <T> List<Outcome<T>> run(Collection<URI> uris, StreamFunction<RangeStream, T> function)
            throws InterruptedException {
        return awaitOrCancel(start(uris, function));
    }

    /**
     * Applies {@code function} to a format-aware stream of each URI (such as {@code ZipStream.class},
     * as {@link RangeClient#open(URI, Class)} opens it) and waits for all of them. A URI the format
     * cannot read fails alone.
     *
     * @return each URI's outcome, in the order given
     * @throws IllegalArgumentException if no format provider makes {@code format}
     * @throws InterruptedException if interrupted while waiting: the batch is then cancelled first
     */
    public <S extends RangeStream, T> List<Outcome<T>> run(Collection<URI> uris, Class<S> format,
            StreamFunction<S, T> function) throws InterruptedException {
        return awaitOrCancel(start(uris, format, function));
    }

    /**
     * Starts applying {@code function} to a stream of each URI, on threads of the batch's own, and
     * returns at once.
     *
     * @throws IllegalStateException if the client is closed
     */
    public <T> BatchRun<T> start(Collection<URI> uris, StreamFunction<RangeStream, T> function) {
        Objects.requireNonNull(function, "function");
        return begin(uris, (uri, through) -> {
            try (RangeStream stream = client.open(uri, through)) {
                return function.apply(stream);
            }
        });
    }

    /**
     * Starts applying {@code function} to a format-aware stream of each URI, and returns at once.
     *
     * @throws IllegalArgumentException if no format provider makes {@code format}
     * @throws IllegalStateException if the client is closed
     */
    public <S extends RangeStream, T> BatchRun<T> start(Collection<URI> uris, Class<S> format,
            StreamFunction<S, T> function) {
        Objects.requireNonNull(function, "function");
        // Found once: the class path is not scanned again for each URI.
        RangeStreamProvider<?> provider = RangeClient.formatProvider(format);
        return begin(uris, (uri, through) -> {
            try (S stream = client.open(uri, format, provider, through)) {
                return function.apply(stream);
            }
        });
    }

    private <T> BatchRun<T> begin(Collection<URI> uris, BatchRun.UriWork<T> work) {
        List<URI> list = List.copyOf(Objects.requireNonNull(uris, "uris"));
        client.requireOpen();
        return new BatchRun<>(list, jobs, jobsPerHost, listener, client.transport(), work);
    }

    private static <T> List<Outcome<T>> awaitOrCancel(BatchRun<T> run) throws InterruptedException {
        try {
            return run.await();
        } catch (InterruptedException e) {
            run.cancel();
            throw e;
        }
    }

    @Override
    public String toString() {
        return "Batch[jobs=" + jobs + ", jobsPerHost=" + jobsPerHost + "]";
    }
}
