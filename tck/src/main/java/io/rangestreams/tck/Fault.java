package io.rangestreams.tck;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A misbehaviour {@link RangeServer} injects into its answers for one path. Faults with a
 * {@code times} count apply to that many {@code GET}s and then stop; the others last until cleared.
 */
public sealed interface Fault {

    /** Ignores {@code Range}: answers {@code 200} with the whole body. */
    record IgnoreRange() implements Fault {}

    /** Sends bodies chunked, without {@code Content-Length}. */
    record NoContentLength() implements Fault {}

    /** Refuses {@code HEAD} with {@code 405}. */
    record HeadRefused() implements Fault {}

    /** Gzips every body whenever the request's {@code Accept-Encoding} allows it (even for ranges). */
    record GzipWhenAllowed() implements Fault {}

    /** Answers {@code 206} with the bytes and {@code Content-Range} of the asked range shifted by {@code shift}. */
    record WrongContentRange(long shift) implements Fault {}

    /** Answers {@code 206} with the right {@code Content-Range} but {@code extra} more body bytes than it says. */
    record LongerBody(int extra) implements Fault {}

    /**
     * Answers {@code status} (with {@code Retry-After} in whole seconds if given) to the next
     * {@code times} {@code GET}s.
     */
    record Status(int status, Optional<Duration> retryAfter, int times) implements Fault {
        /** Validates the fault. */
        public Status {
            Objects.requireNonNull(retryAfter, "retryAfter");
        }

        /** Answers {@code status} to the next {@code times} requests, without {@code Retry-After}. */
        public static Status of(int status, int times) {
            return new Status(status, Optional.empty(), times);
        }
    }

    /**
     * Ends the body cleanly (chunked, no {@code Content-Length}) after {@code afterBytes} bytes, for the
     * next {@code times} {@code GET}s: the response looks complete but is short.
     */
    record TruncateBody(long afterBytes, int times) implements Fault {}

    /**
     * Declares the full {@code Content-Length}, then drops the connection after {@code afterBytes}
     * bytes, for the next {@code times} {@code GET}s.
     */
    record ResetConnection(long afterBytes, int times) implements Fault {}

    /** After {@code requests} more requests for the path, the resource changes: new bytes, new validators. */
    record ChangeValidatorAfter(int requests) implements Fault {}

    /** Sends no {@code ETag} (only {@code Last-Modified}). */
    record NoEtag() implements Fault {}

    /** Redirects every request for the path, once per request, as the {@link Kind} says. */
    record Redirect(Kind kind, int status) implements Fault {
        /** Where a redirect points. */
        public enum Kind {
            /** To {@code /redirected/PATH} on the same server. */
            SAME_ORIGIN,
            /** To the same path on the server's second port: another origin. */
            CROSS_ORIGIN,
            /** To the same path again: a loop. */
            LOOP,
            /** From an https URI to the http one (needs {@link RangeServer#startHttps}). */
            HTTPS_TO_HTTP
        }

        /** Validates the status. */
        public Redirect {
            Objects.requireNonNull(kind, "kind");
            if (status < 300 || status > 399) {
                throw new IllegalArgumentException("redirect status must be 3xx, was " + status);
            }
        }
    }

    /** Sends the body {@code chunkBytes} at a time with {@code pause} between chunks (a stall, if long). */
    record SlowBody(int chunkBytes, Duration pause) implements Fault {}

    /**
     * Holds every {@code GET} body of the path after {@code afterBytes} bytes (0: right after the
     * headers), counting down {@code reached} and waiting for {@code release} before sending the rest.
     * Tests use it to keep a request in flight deterministically, without sleeps: await
     * {@code reached}, act, then count down {@code release}. Once released, bodies flow freely.
     */
    record Gate(long afterBytes, java.util.concurrent.CountDownLatch reached,
            java.util.concurrent.CountDownLatch release) implements Fault {
        /** Validates the gate. */
        public Gate {
            if (afterBytes < 0) {
                throw new IllegalArgumentException("afterBytes must not be negative, was " + afterBytes);
            }
            Objects.requireNonNull(reached, "reached");
            Objects.requireNonNull(release, "release");
        }
    }

    /**
     * Answers every {@code GET}, ranged or not, {@code 200} with no {@code Content-Length} and a body that
     * never ends (the resource's content, then more), until the client goes away.
     */
    record EndlessBody() implements Fault {}

    /** Gzips every body and says {@code Content-Encoding: gzip}, even when the request asked for identity. */
    record GzipAlways() implements Fault {}

    /**
     * Serves the resource as if it were {@code length} bytes long (the same generated content, cut or
     * extended) under its unchanged {@code ETag} and {@code Last-Modified}.
     */
    record SameEtagNewLength(long length) implements Fault {
        /** Validates the length. */
        public SameEtagNewLength {
            if (length < 0) {
                throw new IllegalArgumentException("length must not be negative, was " + length);
            }
        }
    }

    /** States {@code total} as the complete length in every {@code 206}'s {@code Content-Range}. */
    record ContentRangeTotal(long total) implements Fault {}

    /** Sends no {@code Accept-Ranges} header. */
    record NoAcceptRanges() implements Fault {}

    /** Waits {@code delay} before answering each request (added latency). */
    record Latency(Duration delay) implements Fault {}

    /**
     * Answers {@code 403} to every request (GET or HEAD) whose query is not a signature {@code signer}
     * issued with uses left; each admitted request uses one.
     */
    record ExpiringUrls(UrlSigner signer) implements Fault {
        /** Requires the signer. */
        public ExpiringUrls {
            Objects.requireNonNull(signer, "signer");
        }
    }

    /** Answers a request for several ranges with one {@code 206} of the bytes from the first to the last. */
    record CoalesceRanges() implements Fault {}

    /**
     * Answers a request for several ranges with a {@code multipart/byteranges} body spoiled as
     * {@link Flaw} says (a request for one range is answered as usual).
     */
    record BadMultipart(Flaw flaw) implements Fault {
        /** How the multipart body is spoiled. */
        public enum Flaw {
            /** The second part's {@code Content-Range} and bytes are those of its range moved one range length on. */
            SHIFTED_PART,
            /** The body ends cleanly halfway through the second part. */
            CUT_MID_PART,
            /** The {@code Content-Type} names no boundary. */
            NO_BOUNDARY,
            /** Every part's {@code Content-Range} states a complete length one byte longer. */
            WRONG_TOTAL,
            /** The second part carries one byte more than its {@code Content-Range} says. */
            LONGER_PART
        }

        /** Requires the flaw. */
        public BadMultipart {
            Objects.requireNonNull(flaw, "flaw");
        }
    }
}
