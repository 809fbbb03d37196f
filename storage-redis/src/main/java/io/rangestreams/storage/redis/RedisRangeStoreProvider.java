package io.rangestreams.storage.redis;

import io.lettuce.core.RedisURI;
import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeStoreProvider;
import io.rangestreams.spi.StoreOptions;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Provides the {@code redis} store: spec {@code redis:redis://HOST:PORT[/DB][?maxBytes=SIZE&prefix=NAME]}.
 * The location is a Redis URI, so {@code rediss://} (TLS) and a password ({@code redis://:secret@host:6379})
 * work too; a Redis Cluster is recognised by asking the server.
 */
public final class RedisRangeStoreProvider implements RangeStoreProvider {

    // The spec's location arrives as a Path, which folds "//" into "/": the URI is rebuilt from it.
    private static final Pattern FOLDED = Pattern.compile("(redis|rediss|redis\\+ssl|redis\\+tls):/+(.*)");

    /** Required by {@link java.util.ServiceLoader}. */
    public RedisRangeStoreProvider() {}

    @Override
    public String name() {
        return "redis";
    }

    /**
     * Opens the store on the Redis the location names.
     *
     * @throws IllegalArgumentException if the location is missing or not a Redis URI, or a parameter
     *     other than {@code maxBytes} and {@code prefix} is given
     */
    @Override
    public RangeStore open(StoreOptions options) {
        if (!options.name().equals(name())) {
            throw new IllegalArgumentException("store options are for '" + options.name() + "', not 'redis'");
        }
        options.requireOnly("maxBytes", "prefix");
        String location = options.location().map(Path::toString).orElseThrow(() -> new IllegalArgumentException(
                "store 'redis' needs a Redis URI, e.g. redis:redis://127.0.0.1:6379/0?maxBytes=1g"));
        Matcher m = FOLDED.matcher(location);
        if (!m.matches()) {
            throw new IllegalArgumentException("store 'redis' location '" + location
                    + "' is not a Redis URI; expected redis://HOST:PORT[/DB] or rediss://HOST:PORT[/DB]");
        }
        RedisURI uri;
        try {
            uri = RedisURI.create(m.group(1) + "://" + m.group(2));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("store 'redis' location '" + location + "' is not a valid Redis URI: "
                    + e.getMessage(), e);
        }
        return RedisRangeStore.open(uri, Optional.ofNullable(options.parameters().get("prefix")),
                options.maxBytes().orElse(Long.MAX_VALUE));
    }
}
