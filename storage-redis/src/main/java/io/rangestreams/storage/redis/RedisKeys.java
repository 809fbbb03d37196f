package io.rangestreams.storage.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The names of the store's Redis keys under one prefix. Every key of one resource carries the same
 * hash tag (the SHA-1 of the resource key), so a script touching them runs in one Redis Cluster slot;
 * the shared accounting (LRU, bytes counted, clock) carries the prefix as its tag, its own slot.
 *
 * @param prefix what every key starts with: letters, digits, {@code .}, {@code _} and {@code -}
 */
record RedisKeys(String prefix) {

    /** Validates the prefix: braces would break the hash tags, and separators the parsing of members. */
    RedisKeys {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("Redis key prefix must be 1 to 64 letters, digits, '.', '_' or '-', was '"
                    + prefix + "'");
        }
    }

    /** The tag of a resource key: hex SHA-1, so any key (braces, any length) gives a fixed, safe name. */
    static String tag(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }

    /** The resource's metadata hash and index, in this order (the scripts' KEYS). */
    byte[][] resource(String tag) {
        String base = prefix + ":{" + tag + "}:";
        return new byte[][] {bytes(base + "m"), bytes(base + "i")};
    }

    /** The LRU sorted set, the bytes counted and the clock, in this order (the scripts' KEYS). */
    byte[][] accounting() {
        String base = prefix + ":{" + prefix + "}:";
        return new byte[][] {bytes(base + "lru"), bytes(base + "held"), bytes(base + "clock")};
    }

    /** The LRU member of a piece: {@code <tag>|<generation>|<start>:<length>}. */
    static String member(String tag, String generation, String piece) {
        return tag + "|" + generation + "|" + piece;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String string(Object reply) {
        return reply == null ? "" : new String((byte[]) reply, StandardCharsets.UTF_8);
    }
}
