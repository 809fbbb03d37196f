package io.rangestreams.storage.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.rangestreams.Range;
import io.rangestreams.RangeSet;
import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.ResourceVersion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@link RangeStore} in Redis (standalone or Cluster), shared by every process and machine that
 * points at the same server and prefix: a byte fetched by one is read by all the others.
 *
 * <p>Layout: per resource, a metadata hash (version and generation), an index (a sorted set of piece
 * ids by start) and one string per piece, all under one hash tag so each change is one Lua script in
 * one slot, atomic across processes: {@link #bind} drops the old version's pieces in the step that
 * records the new one; {@link #write} checks the version in the step that stores; {@link #ranges} is
 * the index, whose entries go with their bytes, so it never claims a byte another process evicted. A
 * piece Redis evicted itself (under its {@code maxmemory-policy}) is found missing by the read that
 * needs it, which drops its index entry and returns short.
 *
 * <p>Bounded: the pieces of every resource are counted in one shared LRU (its own slot). A write
 * counts its new pieces and, in the same script, takes the least recently used out until the count
 * fits {@code maxBytes}; their owners then drop them. Give every process the same {@code maxBytes}.
 *
 * <p>Each process also remembers the version it bound (or found) per key, and reads and
 * {@link #ranges} return nothing when Redis holds another one: another process that saw the file
 * change and bound the new version cannot hand this one bytes of a version it does not expect.
 *
 * <p>Outages: when Redis fails or is unreachable, the store logs one warning and answers as an empty
 * store (nothing held, writes not stored), so reads go to the network; it uses Redis again as soon as
 * Redis answers. A read never fails because Redis did.
 *
 * <p>Thread-safe: one pipelined connection carries every thread's commands.
 */
public final class RedisRangeStore implements RangeStore {

    /** The longest piece; longer writes are stored as several. */
    static final int MAX_PIECE = 1 << 20;

    /** The most bytes one read script returns; a longer read asks again. */
    private static final int READ_CHUNK = 4 << 20;

    private static final String PREFIX = "rangestreams";
    private static final byte[] ANY = RedisKeys.bytes("-");
    private static final byte[] NONE = new byte[0];

    private static final LuaScript BIND = LuaScript.load("bind", MAX_PIECE);
    private static final LuaScript REMOVE = LuaScript.load("remove", MAX_PIECE);
    private static final LuaScript VERSION = LuaScript.load("version", MAX_PIECE);
    private static final LuaScript RANGES = LuaScript.load("ranges", MAX_PIECE);
    private static final LuaScript WRITE = LuaScript.load("write", MAX_PIECE);
    private static final LuaScript READ = LuaScript.load("read", MAX_PIECE);

    private final RedisLink link;
    private final AutoCloseable owned;
    private final RedisKeys keys;
    private final long maxBytes;
    private final RedisAccounting accounting;
    // The version this process bound or found per key: reads return nothing of another one.
    private final Map<String, ResourceVersion> expected = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private RedisRangeStore(RedisLink link, AutoCloseable owned, String prefix, long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        this.link = link;
        this.owned = owned;
        this.keys = new RedisKeys(prefix);
        this.maxBytes = maxBytes;
        this.accounting = new RedisAccounting(link, keys, maxBytes);
    }

    /**
     * A store over the caller's own connection to a standalone Redis; the caller keeps ownership, and
     * {@link #close()} leaves the connection open.
     *
     * @param prefix what the store's keys start with (letters, digits, {@code .}, {@code _}, {@code -})
     * @param maxBytes the most bytes held by all processes sharing the prefix, or {@link Long#MAX_VALUE}
     * @throws IllegalArgumentException if the prefix is malformed or {@code maxBytes} not positive
     */
    public RedisRangeStore(StatefulRedisConnection<byte[], byte[]> connection, String prefix, long maxBytes) {
        this(new RedisLink(String.valueOf(connection), connection::async), () -> { }, prefix, maxBytes);
    }

    /**
     * A store over the caller's own Redis Cluster connection; the caller keeps ownership.
     *
     * @param prefix what the store's keys start with (letters, digits, {@code .}, {@code _}, {@code -})
     * @param maxBytes the most bytes held by all processes sharing the prefix, or {@link Long#MAX_VALUE}
     * @throws IllegalArgumentException if the prefix is malformed or {@code maxBytes} not positive
     */
    public RedisRangeStore(StatefulRedisClusterConnection<byte[], byte[]> connection, String prefix, long maxBytes) {
        this(new RedisLink(String.valueOf(connection), connection::async), () -> { }, prefix, maxBytes);
    }

    /**
     * Opens a store on the Redis at {@code uri} ({@code redis://}, {@code rediss://} for TLS, a password
     * as {@code redis://:secret@host}), standalone or Cluster as the server says. If Redis cannot be
     * reached now, the store opens anyway, warns, and connects once Redis answers.
     *
     * @param prefix what the store's keys start with; {@code rangestreams} if empty
     * @param maxBytes the most bytes held by all processes sharing the prefix, or {@link Long#MAX_VALUE}
     * @throws IllegalArgumentException if the prefix is malformed, {@code maxBytes} not positive, or
     *     the server is a cluster and the URI names a database other than 0
     */
    public static RedisRangeStore open(RedisURI uri, Optional<String> prefix, long maxBytes) {
        RedisEndpoint endpoint = new RedisEndpoint(Objects.requireNonNull(uri, "uri"));
        try {
            RedisLink link = new RedisLink(endpoint.toString(), endpoint::connect);
            RedisRangeStore store = new RedisRangeStore(link, endpoint, prefix.orElse(PREFIX), maxBytes);
            link.commands(); // connect now, so a misconfigured cluster URI fails here; an outage only warns
            return store;
        } catch (RuntimeException e) {
            endpoint.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "redis";
    }

    /** {@code PERSISTENT} (Redis holds the bytes across a client's close), {@code BOUNDED} with {@code maxBytes}. */
    @Override
    public Set<Capability> capabilities() {
        EnumSet<Capability> caps = EnumSet.of(Capability.PERSISTENT);
        if (maxBytes != Long.MAX_VALUE) {
            caps.add(Capability.BOUNDED);
        }
        return caps;
    }

    @Override
    public long maxBytes() {
        return maxBytes;
    }

    @Override
    public Optional<ResourceVersion> version(String key) throws IOException {
        Objects.requireNonNull(key, "key");
        List<Object> reply = call(VERSION, key).orElse(List.of());
        if (reply.size() < 3) {
            return Optional.empty();
        }
        ResourceVersion v = new ResourceVersion(Long.parseLong(RedisKeys.string(reply.get(0))),
                Optional.of(RedisKeys.string(reply.get(1))), Optional.of(RedisKeys.string(reply.get(2))));
        // Adopted only if this process bound nothing yet: a version it bound stays its own until it binds another.
        expected.putIfAbsent(key, v);
        return Optional.of(v);
    }

    @Override
    public boolean bind(String key, ResourceVersion version) throws IOException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(version, "version");
        ResourceVersion before = expected.put(key, version);
        String generation = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        Optional<List<Object>> reply = call(BIND, key, versionArgs(version, RedisKeys.bytes(generation),
                RedisKeys.bytes(key)));
        if (reply.isEmpty()) {
            // Not recorded in Redis: this process still holds to the new version, so nothing of the old
            // one is served to it; a later write binds again.
            return before != null && !before.isSameVersion(version);
        }
        accounting.forget(RedisKeys.tag(key), RedisKeys.string(reply.get().get(1)), reply.get().get(2));
        return (Long) reply.get().get(0) == 1L;
    }

    @Override
    public RangeSet ranges(String key) throws IOException {
        Objects.requireNonNull(key, "key");
        List<Object> reply = call(RANGES, key, expectedArgs(key)).orElse(List.of());
        if (reply.isEmpty()) {
            return RangeSet.EMPTY;
        }
        Range[] ranges = new Range[reply.size() / 2];
        for (int i = 0; i < ranges.length; i++) {
            ranges[i] = Range.of((Long) reply.get(2 * i), (Long) reply.get(2 * i + 1));
        }
        return RangeSet.of(ranges);
    }

    @Override
    public boolean write(String key, ResourceVersion version, long position, ByteBuffer src) throws IOException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(version, "version");
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative, was " + position);
        }
        requireOpen();
        int n = src.remaining();
        if (n > maxBytes) {
            return false;
        }
        List<String> added = new ArrayList<>();
        String tag = RedisKeys.tag(key);
        int offset = 0;
        do {
            int len = Math.min(MAX_PIECE, n - offset);
            byte[] bytes = new byte[len];
            src.get(src.position() + offset, bytes);
            Optional<List<Object>> reply = writePiece(key, version, position + offset, bytes);
            if (reply.isEmpty()) {
                accounting.admit(added); // what was stored so far is counted
                return false;
            }
            String generation = RedisKeys.string(reply.get().get(1));
            for (Object id : reply.get().subList(2, reply.get().size())) {
                added.add(RedisKeys.member(tag, generation, RedisKeys.string(id)));
            }
            offset += len;
        } while (offset < n);
        accounting.admit(added);
        src.position(src.limit());
        return true;
    }

    /** One piece's write script; binds again once if Redis lost the version this process bound. */
    private Optional<List<Object>> writePiece(String key, ResourceVersion version, long position, byte[] bytes)
            throws IOException {
        for (int attempt = 0; ; attempt++) {
            Optional<List<Object>> reply = call(WRITE, key, versionArgs(version,
                    RedisKeys.bytes(Long.toString(position)), bytes));
            long status = reply.map(r -> (Long) r.get(0)).orElse(0L);
            if (status == 1L) {
                return reply;
            }
            // -1: Redis holds no version (restarted, or it evicted the metadata) though this process
            // bound one; binding it again lets the store be used again.
            ResourceVersion mine = expected.get(key);
            if (status != -1L || attempt > 0 || mine == null || !mine.isSameVersion(version)) {
                return Optional.empty();
            }
            bind(key, version);
        }
    }

    @Override
    public int read(String key, long position, ByteBuffer dst) throws IOException {
        Objects.requireNonNull(key, "key");
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative, was " + position);
        }
        requireOpen();
        String tag = RedisKeys.tag(key);
        int copied = 0;
        while (dst.hasRemaining()) {
            int want = Math.min(dst.remaining(), READ_CHUNK);
            byte[][] args = concat(new byte[][] {RedisKeys.bytes(Long.toString(position + copied)),
                    RedisKeys.bytes(Integer.toString(want))}, expectedArgs(key));
            Optional<List<Object>> reply = call(READ, key, args);
            if (reply.isEmpty()) {
                break;
            }
            byte[] bytes = (byte[]) reply.get().get(0);
            String generation = RedisKeys.string(reply.get().get(1));
            accounting.touch(tag, generation, reply.get().get(2));
            accounting.forget(tag, generation, reply.get().get(3));
            dst.put(bytes);
            copied += bytes.length;
            if (bytes.length < want) {
                break;
            }
        }
        return copied;
    }

    @Override
    public void remove(String key) throws IOException {
        Objects.requireNonNull(key, "key");
        expected.remove(key);
        Optional<List<Object>> reply = call(REMOVE, key);
        reply.ifPresent(r -> accounting.forget(RedisKeys.tag(key), RedisKeys.string(r.get(0)), r.get(1)));
    }

    /** Closes the connection if the store opened it; idempotent. Redis keeps the bytes. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            owned.close();
        } catch (Exception e) {
            throw new IOException("cannot close the Redis connection of " + this + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "RedisRangeStore{" + link + ", prefix=" + keys.prefix() + ", maxBytes="
                + (maxBytes == Long.MAX_VALUE ? "unbounded" : maxBytes) + "}";
    }

    // ---- plumbing ----------------------------------------------------------------------------------

    /** Runs a resource script for {@code key}; empty when Redis is unavailable. */
    private Optional<List<Object>> call(LuaScript script, String key, byte[]... args) throws IOException {
        requireOpen();
        Optional<RedisClusterAsyncCommands<byte[], byte[]>> redis = link.commands();
        if (redis.isEmpty()) {
            return Optional.empty();
        }
        try {
            return link.await(script.<List<Object>>run(redis.get(), ScriptOutputType.MULTI,
                    keys.resource(RedisKeys.tag(key)), args));
        } catch (RedisException e) {
            link.failed(e);
            return Optional.empty();
        }
    }

    private static byte[][] versionArgs(ResourceVersion v, byte[]... more) {
        return concat(new byte[][] {RedisKeys.bytes(Long.toString(v.length())),
                RedisKeys.bytes(v.etag().orElse("")), RedisKeys.bytes(v.lastModified().orElse(""))}, more);
    }

    private byte[][] expectedArgs(String key) {
        ResourceVersion v = expected.get(key);
        return v == null ? new byte[][] {ANY, NONE, NONE} : versionArgs(v);
    }

    private static byte[][] concat(byte[][] a, byte[]... b) {
        byte[][] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("Redis store (" + link + ") is closed");
        }
    }
}
