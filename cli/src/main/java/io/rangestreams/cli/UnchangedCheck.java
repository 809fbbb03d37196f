package io.rangestreams.cli;

import io.rangestreams.RangeStream;
import io.rangestreams.ResourceChangedException;
import io.rangestreams.ResourceInfo;
import io.rangestreams.spi.ResourceVersion;
import java.io.IOException;

/**
 * The version of a resource when a command started writing it, checked when it is done: each read of
 * a stream is of one version, but output written over many reads would mix two if the file changed
 * on the server half-way (the engine then fetches the rest from the new version).
 */
final class UnchangedCheck {

    private final RangeStream stream;
    private final ResourceInfo before;

    /** Notes the version the stream knows now (its length must be known, so no request is sent). */
    UnchangedCheck(RangeStream stream) throws IOException {
        this.stream = stream;
        this.before = stream.resource();
    }

    /**
     * Throws if the stream has seen another version since.
     *
     * @param what what was written, for the message, e.g. "written" or "copied to big.iso"
     */
    void requireUnchanged(String what) throws IOException {
        ResourceInfo after = stream.resource();
        if (!versionOf(before).isSameVersion(versionOf(after))) {
            throw new ResourceChangedException(stream.uri() + " changed on the server while it was " + what + " ("
                    + describe(before) + ", then " + describe(after) + "); the output would mix the two: run again");
        }
    }

    /** The version the stream knew when this check was made. */
    ResourceVersion version() {
        return versionOf(before);
    }

    private static ResourceVersion versionOf(ResourceInfo info) {
        return new ResourceVersion(info.length(), info.etag(), info.lastModified());
    }

    private static String describe(ResourceInfo info) {
        return info.length() + " bytes" + info.etag().map(e -> ", ETag " + e).orElse("")
                + info.lastModified().map(m -> ", Last-Modified " + m).orElse("");
    }
}
