package io.rangestreams.storage.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The store's way to Redis, and its health: a failed command puts the link {@code DOWN} for a short
 * pause (callers get nothing and go to the network), the first failure of an outage logs one warning
 * and the first success after it one line at info. Reconnecting is Lettuce's (or, for a store that
 * could not connect at all yet, the next call after the pause tries again).
 */
final class RedisLink {

    private static final System.Logger LOG = System.getLogger(RedisRangeStore.class.getName());
    private static final Duration PAUSE = Duration.ofMillis(500);
    private static final Duration WAIT = Duration.ofSeconds(15);

    private enum State { UP, DOWN }

    private final String description;
    private final Supplier<RedisClusterAsyncCommands<byte[], byte[]>> connect;
    private volatile RedisClusterAsyncCommands<byte[], byte[]> commands;
    private volatile State state = State.UP;
    private volatile long retryAt;

    /**
     * @param description the server, for messages
     * @param connect connects (throwing a {@link RedisException} when it cannot); called until it succeeds
     */
    RedisLink(String description, Supplier<RedisClusterAsyncCommands<byte[], byte[]>> connect) {
        this.description = description;
        this.connect = connect;
    }

    /** The commands, unless Redis failed a moment ago (then empty: the caller does without). */
    Optional<RedisClusterAsyncCommands<byte[], byte[]>> commands() {
        if (state == State.DOWN && System.nanoTime() - retryAt < 0) {
            return Optional.empty();
        }
        RedisClusterAsyncCommands<byte[], byte[]> c = commands;
        if (c == null) {
            synchronized (this) {
                if (commands == null) {
                    try {
                        commands = connect.get();
                    } catch (RedisException e) {
                        failed(e);
                        return Optional.empty();
                    }
                }
                c = commands;
            }
        }
        return Optional.of(c);
    }

    /**
     * Waits for a command's reply; empty (and the link down for a moment) if Redis failed it.
     *
     * @throws InterruptedIOException if the thread is interrupted while waiting
     */
    <T> Optional<T> await(CompletionStage<T> reply) throws InterruptedIOException {
        try {
            T result = reply.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            succeeded();
            return Optional.ofNullable(result);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException io = new InterruptedIOException("interrupted waiting for Redis at " + description);
            io.initCause(e);
            throw io;
        } catch (ExecutionException e) {
            failed(e.getCause() == null ? e : e.getCause());
        } catch (TimeoutException e) {
            failed(e);
        }
        return Optional.empty();
    }

    /** Notes a command that failed on its own (one not awaited). */
    void failed(Throwable cause) {
        retryAt = System.nanoTime() + PAUSE.toNanos();
        if (state == State.UP) {
            state = State.DOWN;
            LOG.log(Level.WARNING, "Redis store at {0} is unavailable ({1}); reads go to the network until it is back",
                    description, String.valueOf(cause));
        } else {
            LOG.log(Level.DEBUG, "Redis store at {0} still unavailable: {1}", description, cause);
        }
    }

    private void succeeded() {
        if (state == State.DOWN) {
            state = State.UP;
            LOG.log(Level.INFO, "Redis store at {0} is reachable again", description);
        }
    }

    /** Whether the last command failed (the store is doing without Redis). */
    boolean isDown() {
        return state == State.DOWN;
    }

    @Override
    public String toString() {
        return description;
    }
}
