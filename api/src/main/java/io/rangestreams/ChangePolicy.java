package io.rangestreams;

/** What a stream does when it finds the remote resource changed under held bytes. */
public enum ChangePolicy {
    /** Drop the old bytes and fetch from the new version (the default). */
    REFETCH,
    /** Drop the old bytes and throw {@link ResourceChangedException}. */
    FAIL
}
