package io.rangestreams.storage.redis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Three {@link RedisServer}s with {@code --cluster-enabled yes}, joined with
 * {@code redis-cli --cluster create} into a cluster of three masters that share the 16384 slots.
 */
public final class RedisCluster implements AutoCloseable {

    private final List<RedisServer> nodes = new ArrayList<>();

    private RedisCluster() {}

    /** Starts the three nodes, creates the cluster and waits until every node reports it ok. */
    public static RedisCluster start(Path dir) throws IOException, InterruptedException {
        RedisCluster cluster = new RedisCluster();
        try {
            for (int i = 0; i < 3; i++) {
                cluster.nodes.add(RedisServer.start(dir.resolve("node" + i), "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf"));
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            for (RedisServer n : cluster.nodes) {
                create.add("127.0.0.1:" + n.port());
            }
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            cluster.nodes.get(0).cli(create.toArray(String[]::new));
            for (RedisServer n : cluster.nodes) {
                // The nodes learn of each other by gossip: ask each until it agrees (bounded by the test timeout).
                while (!n.cli("cluster", "info").contains("cluster_state:ok")) {
                    Thread.onSpinWait();
                }
            }
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The nodes. */
    public List<RedisServer> nodes() {
        return nodes;
    }

    /** The Redis URI of the first node; a cluster client finds the others from it. */
    public String uri() {
        return nodes.get(0).uri();
    }

    @Override
    public void close() {
        for (RedisServer n : nodes) {
            n.close();
        }
    }
}
