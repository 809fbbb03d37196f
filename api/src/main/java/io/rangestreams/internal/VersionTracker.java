package io.rangestreams.internal;

import io.rangestreams.ResourceInfo;
import io.rangestreams.Revalidation;
import io.rangestreams.spi.ResourceVersion;
import java.util.Optional;

/**
 * The version a stream serves, its generation, and the revalidation policy, with no I/O of its own (in
 * the manner of Hadoop S3A's {@code ChangeTracker}): callers tell it what responses showed and act on
 * what it answers (binding the store, dropping held bytes, telling the listener).
 *
 * <p>Not thread-safe: every call is made holding the stream's {@link ResourceState}.
 */
final class VersionTracker {

    /** What a version seen in a response meant. */
    sealed interface Observation {
        /** The first version seen, or the one held: it is served. */
        record Same(ResourceVersion served) implements Observation {}

        /** Another version than the one held: held bytes are to be dropped. */
        record Changed(ResourceVersion before, ResourceVersion after) implements Observation {}
    }

    private final Revalidation revalidation;
    private ResourceVersion version; // the version being served; null until known
    private boolean validated; // whether held bytes were checked against the server in this stream
    private boolean loaded; // whether the store's version was looked up
    private long generation; // incremented whenever the version changes
    private ResourceInfo info;

    VersionTracker(Revalidation revalidation) {
        this.revalidation = revalidation;
    }

    /** Whether the store's version was looked up yet. */
    boolean loaded() {
        return loaded;
    }

    /** Takes the version the store holds (once): trusted without a request only under {@link Revalidation#NEVER}. */
    void loadHeld(Optional<ResourceVersion> held) {
        if (loaded) {
            return;
        }
        loaded = true;
        if (version == null && held.isPresent()) {
            version = held.get();
            validated = revalidation == Revalidation.NEVER;
        }
    }

    /** At the start of each public operation: under {@link Revalidation#ALWAYS}, held bytes are checked again. */
    void startOperation() {
        if (revalidation == Revalidation.ALWAYS) {
            validated = false;
        }
    }

    /** The version served, if known. */
    Optional<ResourceVersion> version() {
        return Optional.ofNullable(version);
    }

    /** The version served, or null: for the hot paths that test it under the lock. */
    ResourceVersion versionOrNull() {
        return version;
    }

    boolean validated() {
        return validated;
    }

    /** Bumped at every change of version: bytes copied under another generation are stale. */
    long generation() {
        return generation;
    }

    Optional<ResourceInfo> info() {
        return Optional.ofNullable(info);
    }

    void info(ResourceInfo info) {
        this.info = info;
    }

    /** Whether held bytes ({@code holdsBytes}) must be checked against the server before they are served. */
    boolean needsValidation(boolean holdsBytes) {
        return !validated && version != null && holdsBytes && revalidation != Revalidation.NEVER;
    }

    /** Whether the held version was not yet checked in this stream (a response showing a version checks it). */
    boolean validating() {
        return version != null && !validated;
    }

    /** The held version was confirmed (a {@code 304}). */
    void confirmed() {
        validated = true;
    }

    /**
     * A response showed {@code seen}. The same version (or the first one) is served from now on, as
     * validated; another is reported as a change, which the caller makes with {@link #changeTo}.
     */
    Observation observe(ResourceVersion seen) {
        if (version != null && !version.isSameVersion(seen)) {
            return new Observation.Changed(version, seen);
        }
        if (version == null) {
            version = seen;
        }
        validated = true;
        return new Observation.Same(version);
    }

    /** The version changed to {@code now} (or to one not known yet): a new generation, nothing of the old kept. */
    void changeTo(Optional<ResourceVersion> now) {
        version = now.orElse(null);
        validated = now.isPresent();
        generation++;
        info = null;
    }

    /** Serves {@code v} as validated (the fallback learns its version from the whole body). */
    void adopt(ResourceVersion v) {
        version = v;
        validated = true;
    }

    /**
     * The length, when it can be used without a request: the version is validated, trusted, or served
     * through the fallback, or the resource's info is known.
     */
    Optional<Long> usableLength(boolean fallback) {
        if (version != null && (validated || revalidation == Revalidation.NEVER || fallback || info != null)) {
            return Optional.of(version.length());
        }
        return Optional.empty();
    }
}
