package io.rangestreams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Revalidation;
import io.rangestreams.spi.ResourceVersion;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class VersionTrackerTest {

    private static final ResourceVersion V1 = new ResourceVersion(100, Optional.of("\"a\""), Optional.empty());
    private static final ResourceVersion V1_AGAIN = new ResourceVersion(100, Optional.of("\"a\""),
            Optional.of("Mon, 01 Jan 2024 00:00:00 GMT"));
    private static final ResourceVersion V2 = new ResourceVersion(100, Optional.of("\"b\""), Optional.empty());

    @Nested
    class HeldVersion {

        @Test
        void aHeldVersionIsCheckedOnceBeforeItIsServed() {
            VersionTracker t = new VersionTracker(Revalidation.ONCE);
            t.loadHeld(Optional.of(V1));
            assertThat(t.needsValidation(true)).as("ONCE, held bytes, not yet checked").isTrue();
            assertThat(t.observe(V1_AGAIN)).as("a response showing the held version")
                    .isEqualTo(new VersionTracker.Observation.Same(V1));
            assertThat(t.needsValidation(true)).as("ONCE, after one check").isFalse();
        }

        @Test
        void neverTrustsTheStore() {
            VersionTracker t = new VersionTracker(Revalidation.NEVER);
            t.loadHeld(Optional.of(V1));
            assertThat(t.needsValidation(true)).as("NEVER, held bytes").isFalse();
            assertThat(t.usableLength(false)).as("NEVER: the held length is usable at once").hasValue(100L);
        }

        @Test
        void alwaysChecksAgainAtEachOperation() {
            VersionTracker t = new VersionTracker(Revalidation.ALWAYS);
            t.loadHeld(Optional.of(V1));
            t.observe(V1);
            t.startOperation();
            assertThat(t.needsValidation(true)).as("ALWAYS, a new operation after a check").isTrue();
        }

        @Test
        void theStoreIsLookedUpOnce() {
            VersionTracker t = new VersionTracker(Revalidation.ONCE);
            t.loadHeld(Optional.empty());
            t.loadHeld(Optional.of(V1));
            assertThat(t.version()).as("a held version offered after the first look-up").isEmpty();
        }
    }

    @Nested
    class Changes {

        @Test
        void theFirstVersionSeenIsServed() {
            VersionTracker t = new VersionTracker(Revalidation.ONCE);
            assertThat(t.observe(V1)).as("first response").isEqualTo(new VersionTracker.Observation.Same(V1));
            assertThat(t.validated()).as("validated after the first response").isTrue();
        }

        @Test
        void anotherValidatorIsAChangeAndANewGeneration() {
            VersionTracker t = new VersionTracker(Revalidation.ONCE);
            t.observe(V1);
            long before = t.generation();
            VersionTracker.Observation seen = t.observe(V2);
            assertThat(seen).as("a response with another ETag").isEqualTo(new VersionTracker.Observation.Changed(V1, V2));
            assertThat(t.version()).as("version before the caller makes the change").hasValue(V1);
            t.changeTo(Optional.of(V2));
            assertThat(t.version()).as("version after the change").hasValue(V2);
            assertThat(t.generation()).as("generation after the change").isEqualTo(before + 1);
            assertThat(t.info()).as("info after the change").isEmpty();
        }

        @Test
        void aChangeToAnUnknownVersionLeavesNothingServed() {
            VersionTracker t = new VersionTracker(Revalidation.ONCE);
            t.observe(V1);
            t.changeTo(Optional.empty());
            assertThat(t.version()).as("version after a change to an unknown one").isEmpty();
            assertThat(t.validated()).as("validated after a change to an unknown one").isFalse();
        }
    }
}
