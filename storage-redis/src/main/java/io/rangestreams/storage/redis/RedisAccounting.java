package io.rangestreams.storage.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The bytes held by every process sharing a prefix, counted in one LRU in its own slot: new pieces are
 * admitted (and the least recently used evicted to fit {@code maxBytes}), pieces read are touched, and
 * pieces that are gone are forgotten. The LRU's own changes are atomic (one script each); a victim is
 * then dropped by a script in its resource's slot, index entry and bytes together.
 */
final class RedisAccounting {

    private static final LuaScript ADMIT = LuaScript.load("admit", RedisRangeStore.MAX_PIECE);
    private static final LuaScript TOUCH = LuaScript.load("touch", RedisRangeStore.MAX_PIECE);
    private static final LuaScript FORGET = LuaScript.load("forget", RedisRangeStore.MAX_PIECE);
    private static final LuaScript EVICT = LuaScript.load("evict", RedisRangeStore.MAX_PIECE);

    private final RedisLink link;
    private final RedisKeys keys;
    private final byte[] limit;
    private final boolean bounded;

    RedisAccounting(RedisLink link, RedisKeys keys, long maxBytes) {
        this.link = link;
        this.keys = keys;
        this.bounded = maxBytes != Long.MAX_VALUE;
        this.limit = RedisKeys.bytes(bounded ? Long.toString(maxBytes) : "0");
    }

    /** Counts new pieces ({@link RedisKeys#member members}) and drops the pieces evicted to make room. */
    void admit(List<String> members) throws IOException {
        Optional<RedisClusterAsyncCommands<byte[], byte[]>> redis = link.commands();
        if (members.isEmpty() || redis.isEmpty()) {
            return;
        }
        byte[][] args = new byte[members.size() + 1][];
        args[0] = limit;
        for (int i = 0; i < members.size(); i++) {
            args[i + 1] = RedisKeys.bytes(members.get(i));
        }
        if (!bounded) {
            fireAndForget(ADMIT, args); // counted for bounded processes sharing the prefix; nothing to evict
            return;
        }
        List<Object> victims = link.await(ADMIT.<List<Object>>run(redis.get(), ScriptOutputType.MULTI,
                keys.accounting(), args)).orElse(List.of());
        // One evict script per resource and generation, all sent before any is waited for.
        Map<String, List<byte[]>> byOwner = new LinkedHashMap<>();
        for (Object v : victims) {
            String[] parts = RedisKeys.string(v).split("\\|", 3);
            byOwner.computeIfAbsent(parts[0] + "|" + parts[1], k -> new ArrayList<>(List.of(RedisKeys.bytes(parts[1]))))
                    .add(RedisKeys.bytes(parts[2]));
        }
        List<CompletionStage<Long>> evictions = new ArrayList<>();
        for (Map.Entry<String, List<byte[]>> e : byOwner.entrySet()) {
            String tag = e.getKey().substring(0, e.getKey().indexOf('|'));
            evictions.add(EVICT.run(redis.get(), ScriptOutputType.INTEGER, keys.resource(tag),
                    e.getValue().toArray(byte[][]::new)));
        }
        for (CompletionStage<Long> eviction : evictions) {
            link.await(eviction);
        }
    }

    /** Makes pieces just read the most recently used; not waited for. */
    void touch(String tag, String generation, Object ids) {
        fireAndForget(TOUCH, members(tag, generation, ids));
    }

    /** Uncounts pieces that are gone (a dropped version, or bytes Redis evicted); not waited for. */
    void forget(String tag, String generation, Object ids) {
        fireAndForget(FORGET, members(tag, generation, ids));
    }

    private static byte[][] members(String tag, String generation, Object ids) {
        List<?> list = (List<?>) ids;
        byte[][] out = new byte[list.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = RedisKeys.bytes(RedisKeys.member(tag, generation, RedisKeys.string(list.get(i))));
        }
        return out;
    }

    private void fireAndForget(LuaScript script, byte[][] args) {
        if (args.length == 0) {
            return;
        }
        link.commands().ifPresent(redis -> script.run(redis, ScriptOutputType.MULTI, keys.accounting(), args)
                .whenComplete((r, e) -> {
                    if (e != null) {
                        link.failed(e);
                    }
                }));
    }
}
