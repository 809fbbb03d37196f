package io.rangestreams.spi;

import io.rangestreams.RangeSet;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Set;

/**
 * Holds fetched bytes per resource key (the resource's canonical URI): the version they belong to,
 * the {@link RangeSet} held and the bytes themselves.
 *
 * <p>Thread safety: an implementation is safe for concurrent use by many threads.
 *
 * <p>Lifecycle: {@link #close()} is idempotent; any other method after close throws
 * {@link IllegalStateException}.
 *
 * <h2>Rules (enforced by the TCK's {@code RangeStoreContract})</h2>
 * <ol>
 *   <li><b>S1</b> Bytes written are read back exactly, at any offset within what is held.</li>
 *   <li><b>S2</b> {@link #ranges} is the union of what was written (overlapping and adjacent writes
 *       merge) and never claims a byte that {@link #read} would not return.</li>
 *   <li><b>S3</b> A read spanning several written pieces returns them all, contiguously.</li>
 *   <li><b>S4</b> A read at a position not held returns 0 and copies nothing; a read stops at the end
 *       of the held range containing its position.</li>
 *   <li><b>S5</b> {@link #bind} with a different version drops every byte held for the key before the
 *       new version is recorded; with the same version it keeps them.</li>
 *   <li><b>S6</b> A {@link #write} tagged with a version other than the key's bound version stores
 *       nothing, so bytes of two versions never mix.</li>
 *   <li><b>S7</b> Keys are independent; {@link #remove} drops one key's version and bytes.</li>
 *   <li><b>S8</b> A {@link Capability#BOUNDED} store holds at most its limit, evicting whole written
 *       pieces (least recently used first) and updating {@link #ranges} before the bytes go.</li>
 *   <li><b>S9</b> A {@link Capability#PERSISTENT} store reopened on the same location holds the same
 *       versions, ranges and bytes.</li>
 *   <li><b>S10</b> Concurrent writes and reads of one key from many threads keep S1 and S2.</li>
 *   <li><b>S11</b> {@link #close()} is idempotent; other methods after close throw
 *       {@link IllegalStateException}.</li>
 *   <li><b>S12</b> A negative position given to {@link #write} or {@link #read} throws
 *       {@link IllegalArgumentException} and changes nothing.</li>
 *   <li><b>S13</b> In a store that is a {@link ChunkAdoption}, bytes handed over with
 *       {@link ChunkAdoption#writeOwned} (in an array from {@link ChunkAdoption#newChunk} or any other)
 *       are stored as {@link #write} stores them (S1, S2, S6, S8); only the first {@code length} bytes of
 *       the array count.</li>
 *   <li><b>S14</b> A {@link Capability#BOUNDED} store's {@link #read}, racing writes that evict pieces
 *       (and, in a {@link ChunkAdoption}, reuse their arrays for {@link ChunkAdoption#newChunk}), returns
 *       only bytes as they were written: a piece evicted during the copy ends the read short rather than
 *       lend it another piece's bytes.</li>
 *   <li><b>S15</b> A {@link RangeStoreProvider} of the store's {@link #name()} is registered for
 *       {@link java.util.ServiceLoader}; the store it opens from a spec has that name and works, and a
 *       spec parameter it does not know is rejected with an {@link IllegalArgumentException} naming it.</li>
 * </ol>
 *
 * <p>Versions are compared with {@link ResourceVersion#isSameVersion}, not {@code equals}: a version
 * whose strong ETag matches is the same version even if another field was not sent. {@link #write}
 * may consume its buffer; callers do not rely on the buffer's position afterwards.
 */
public interface RangeStore extends Closeable {

    /** Optional abilities a store declares; the TCK skips the rules of those it does not. */
    enum Capability {
        /** Holds its data across close and reopen at the same location. */
        PERSISTENT,
        /** Holds at most a configured number of bytes, evicting to stay under it. */
        BOUNDED
    }

    /** The store's name, as its provider's ({@code memory}, {@code mapdb}). */
    String name();

    /** The optional abilities this store has. */
    default Set<Capability> capabilities() {
        return Set.of();
    }

    /**
     * The most bytes this store holds: {@link Long#MAX_VALUE} unless it is {@link Capability#BOUNDED}.
     * The engine sizes what it fetches ahead by it, so that bytes fetched ahead are not evicted before
     * they are read.
     */
    default long maxBytes() {
        return Long.MAX_VALUE;
    }

    /** The version the key's bytes belong to, if one was bound. */
    Optional<ResourceVersion> version(String key) throws IOException;

    /**
     * Records the version of the key's resource. If another version was bound, its bytes are dropped
     * first (S5).
     *
     * @return whether bytes of another version were dropped
     */
    boolean bind(String key, ResourceVersion version) throws IOException;

    /** The ranges held for the key; empty if none. */
    RangeSet ranges(String key) throws IOException;

    /**
     * Stores the remaining bytes of {@code src} at {@code position}, if the key is bound to
     * {@code version} (S6). Bytes already held may be kept or overwritten; they are the same bytes.
     *
     * @return whether the bytes were stored
     */
    boolean write(String key, ResourceVersion version, long position, ByteBuffer src) throws IOException;

    /**
     * Copies held bytes starting at {@code position} into {@code dst}, as many as fit and are held
     * contiguously from there.
     *
     * @return the number of bytes copied; 0 if the byte at {@code position} is not held
     */
    int read(String key, long position, ByteBuffer dst) throws IOException;

    /** Drops the key's version and bytes. */
    void remove(String key) throws IOException;

    /** Releases the store (and, for a persistent one, makes its data durable); idempotent. */
    @Override
    void close() throws IOException;
}
