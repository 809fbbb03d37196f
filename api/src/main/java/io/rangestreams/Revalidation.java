package io.rangestreams;

/** When a stream checks that bytes held in the store still match the remote resource. */
public enum Revalidation {
    /**
     * Once per stream, when it first needs held bytes: a conditional {@code HEAD}, or the
     * {@code If-Range} of the first ranged {@code GET}. The default, so a persisted store never serves
     * a changed file.
     */
    ONCE,
    /** Never: held bytes are trusted and served without any request (offline use). */
    NEVER,
    /** Before every read that is served from held bytes. */
    ALWAYS
}
