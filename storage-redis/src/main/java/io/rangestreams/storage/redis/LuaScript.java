package io.rangestreams.storage.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One of the store's Lua scripts (a resource of this package, after the shared head), run with
 * {@code EVALSHA} and, when the server has not cached it yet (a restarted server, a cluster node met
 * for the first time), with {@code EVAL}, which caches it.
 */
final class LuaScript {

    private final String name;
    private final byte[] text;
    private final String sha;

    private LuaScript(String name, String text) {
        this.name = name;
        this.text = text.getBytes(StandardCharsets.UTF_8);
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(this.text));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1, which Redis names scripts by", e);
        }
    }

    /** The script {@code name.lua}, after {@code local MAX_PIECE = maxPiece} and the shared head. */
    static LuaScript load(String name, int maxPiece) {
        return new LuaScript(name, "local MAX_PIECE = " + maxPiece + "\n" + resource("common") + resource("lru")
                + resource(name));
    }

    private static String resource(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream(name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("script " + name + ".lua is missing from the storage-redis jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read script " + name + ".lua", e);
        }
    }

    /** Runs the script on the node of {@code keys[0]}'s slot. */
    <T> CompletionStage<T> run(RedisClusterAsyncCommands<byte[], byte[]> redis, ScriptOutputType type, byte[][] keys,
            byte[]... args) {
        RedisFuture<T> first = redis.evalsha(sha, type, keys, args);
        return first.handle((result, error) -> {
            if (error == null) {
                return CompletableFuture.completedStage(result);
            }
            Throwable cause = error instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                    ? c.getCause() : error;
            if (cause instanceof RedisNoScriptException) {
                RedisFuture<T> again = redis.eval(text, type, keys, args);
                return (CompletionStage<T>) again;
            }
            return CompletableFuture.<T>failedStage(cause);
        }).thenCompose(s -> s);
    }

    @Override
    public String toString() {
        return name + ".lua";
    }
}
