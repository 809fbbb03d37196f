package io.rangestreams.internal;

import io.rangestreams.ChangePolicy;
import io.rangestreams.ResourceChangedException;
import io.rangestreams.ResourceInfo;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.ResourceVersion;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * Acts on what the {@link VersionTracker} decides: binds the store to the version served, drops held
 * bytes of a changed file (or fails, as the options say), and tells the listener.
 */
final class VersionSync {

    private static final Log LOG = Log.of(VersionSync.class);

    private final StreamContext context;
    private final ResourceState state;

    VersionSync(StreamContext context, ResourceState state) {
        this.context = context;
        this.state = state;
    }

    /** Looks up, once, the version the store holds for this resource. */
    void loadHeld() throws IOException {
        synchronized (state) {
            if (state.versions.loaded()) {
                return;
            }
        }
        Optional<ResourceVersion> held = context.store().version(context.key());
        synchronized (state) {
            state.versions.loadHeld(held);
        }
    }

    /**
     * Takes in the version a response shows. The first version seen is compared with what the store
     * holds; a different one drops the held bytes (and fails, if so configured).
     */
    void learn(ResourceVersion v, RangeResponse response, boolean rangesHonoured) throws IOException {
        VersionTracker.Observation seen;
        boolean validating;
        ResourceVersion served;
        synchronized (state) {
            VersionTracker t = state.versions;
            boolean first = t.versionOrNull() == null;
            validating = t.validating();
            seen = t.observe(v);
            served = t.versionOrNull();
            if (seen instanceof VersionTracker.Observation.Same && (t.info().isEmpty() || first)) {
                t.info(infoOf(response, served, rangesHonoured && state.fallback == null));
            }
        }
        if (validating) {
            context.events().revalidated(context.uri(), seen instanceof VersionTracker.Observation.Same);
        }
        if (seen instanceof VersionTracker.Observation.Changed changed) {
            changed(changed.before(), Optional.of(v));
            synchronized (state) {
                state.versions.info(infoOf(response, v, rangesHonoured && state.fallback == null));
            }
        } else {
            context.store().bind(context.key(), served);
        }
    }

    /** The held version was confirmed by a {@code 304}. */
    void confirmed(RangeResponse response, ResourceVersion held) {
        synchronized (state) {
            state.versions.confirmed();
            if (state.versions.info().isEmpty()) {
                state.versions.info(infoOf(response, held, true));
            }
        }
    }

    /** The remote file changed: drop held bytes, serve the new version or fail. */
    void changed(ResourceVersion old, Optional<ResourceVersion> now) throws IOException {
        URI uri = context.uri();
        LOG.debug("{0} changed: held {1}, server has {2}; dropping held bytes", uri, old,
                now.map(Object::toString).orElse("an unknown version"));
        if (now.isPresent()) {
            context.store().bind(context.key(), now.get());
        } else {
            context.store().remove(context.key());
        }
        synchronized (state) {
            state.versions.changeTo(now);
        }
        context.events().versionChanged(uri, validatorOf(old), now.map(VersionSync::validatorOf).orElse(""));
        if (context.options().onChange() == ChangePolicy.FAIL) {
            throw new ResourceChangedException(uri + " changed on the server: held " + old + ", now "
                    + now.map(Object::toString).orElse("a different version") + "; held bytes were dropped");
        }
    }

    /** A version's validator as the server gave it: the ETag, else Last-Modified; empty when it gave none. */
    private static String validatorOf(ResourceVersion v) {
        return v.etag().or(v::lastModified).orElse("");
    }

    static ResourceInfo infoOf(URI uri, ResourceVersion v, Optional<String> contentType, boolean ranges) {
        return new ResourceInfo(uri, v.length(), v.etag(), v.lastModified(), contentType, ranges);
    }

    /** What {@code response} tells of the resource, with the protocol it came over. */
    static ResourceInfo infoOf(RangeResponse response, ResourceVersion v, boolean ranges) {
        return new ResourceInfo(response.uri(), v.length(), v.etag(), v.lastModified(), response.header("Content-Type"),
                ranges, Optional.of(response.protocol()));
    }
}
