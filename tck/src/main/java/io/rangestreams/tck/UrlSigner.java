package io.rangestreams.tck;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issues signed URLs of one resource, each valid for a number of requests, as an object store's
 * pre-signed URLs expire: {@link #sign()} gives {@code uri?sig=N}, and {@link RangeServer} (with the
 * {@link Fault.ExpiringUrls} fault) admits a request only while its signature has uses left.
 */
public final class UrlSigner {

    private final URI base;
    private final int uses;
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicInteger issued = new AtomicInteger();
    private final Map<String, AtomicInteger> left = new ConcurrentHashMap<>();

    /**
     * A signer of {@code base} (a URI without query) whose URLs admit {@code uses} requests each.
     *
     * @throws IllegalArgumentException if {@code uses} is not positive or {@code base} has a query
     */
    public UrlSigner(URI base, int uses) {
        this.base = Objects.requireNonNull(base, "base");
        if (uses <= 0) {
            throw new IllegalArgumentException("uses must be positive, was " + uses);
        }
        if (base.getRawQuery() != null) {
            throw new IllegalArgumentException("the URI to sign must have no query: " + base);
        }
        this.uses = uses;
    }

    /** A new signed URL with all its uses left. */
    public URI sign() {
        String signature = "sig=" + issued.incrementAndGet();
        left.put(signature, new AtomicInteger(uses));
        return URI.create(base + "?" + signature);
    }

    /** How many URLs were signed. */
    public int issued() {
        return issued.get();
    }

    /** How many requests were admitted, over all the URLs signed. */
    public int admitted() {
        return admitted.get();
    }

    /** Whether a request with this raw query is admitted; an admitted request uses one use of its URL. */
    boolean admit(String rawQuery) {
        AtomicInteger n = rawQuery == null ? null : left.get(rawQuery);
        boolean admit = n != null && n.getAndDecrement() > 0;
        if (admit) {
            admitted.incrementAndGet();
        }
        return admit;
    }
}
