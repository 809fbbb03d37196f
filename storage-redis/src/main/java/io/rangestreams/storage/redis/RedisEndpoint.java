package io.rangestreams.storage.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Redis clients a store opened itself from a Redis URI. It connects to a standalone server first
 * and asks it whether it is part of a cluster; if so, it connects again as a cluster client. While
 * Redis is down, commands are rejected at once (not queued) and the connection retries quickly, so
 * a store does without Redis immediately and uses it again soon after it is back.
 */
final class RedisEndpoint implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final RedisURI uri;
    private final ClientResources resources;
    private AbstractRedisClient client;
    private StatefulConnection<byte[], byte[]> connection;

    RedisEndpoint(RedisURI uri) {
        this.uri = uri;
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
    }

    /**
     * Connects (standalone or cluster, as the server says).
     *
     * @throws io.lettuce.core.RedisException if Redis cannot be reached
     */
    synchronized RedisClusterAsyncCommands<byte[], byte[]> connect() {
        RedisClient standalone = RedisClient.create(resources, uri);
        standalone.setOptions(configure(ClientOptions.builder()).build());
        StatefulRedisConnection<byte[], byte[]> single;
        try {
            single = standalone.connect(ByteArrayCodec.INSTANCE);
        } catch (RuntimeException e) {
            standalone.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            throw e;
        }
        String info = single.sync().info("cluster");
        if (info == null || !info.contains("cluster_enabled:1")) {
            client = standalone;
            connection = single;
            return single.async();
        }
        single.close();
        standalone.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        if (uri.getDatabase() != 0) {
            throw new IllegalArgumentException("Redis at " + uri.getHost() + ":" + uri.getPort()
                    + " is a cluster, which has only database 0; remove /" + uri.getDatabase() + " from the URI");
        }
        RedisClusterClient cluster = RedisClusterClient.create(resources, uri);
        cluster.setOptions(configure(ClusterClientOptions.builder()).build());
        try {
            var clustered = cluster.connect(ByteArrayCodec.INSTANCE);
            // Node connections open lazily, and a command for one still opening would be rejected:
            // open them all now.
            for (RedisClusterNode node : clustered.getPartitions()) {
                clustered.getConnection(node.getUri().getHost(), node.getUri().getPort());
            }
            client = cluster;
            connection = clustered;
            return clustered.async();
        } catch (RuntimeException e) {
            cluster.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            throw e;
        }
    }

    /** Reconnecting by itself, rejecting commands while disconnected (never queueing them), with timeouts. */
    private static <B extends ClientOptions.Builder> B configure(B builder) {
        builder.autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT));
        return builder;
    }

    /** Closes the connection and the clients' threads. */
    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
        }
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    }
}
