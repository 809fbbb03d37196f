package io.rangestreams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetriesTest {

    private final Retries retries = new Retries(3, Duration.ofSeconds(10));

    @Test
    void backsOffByDoublingWithoutRetryAfter() {
        assertThat(retries.delay(1, Optional.empty())).as("first retry").isEqualTo(Duration.ofMillis(100));
        assertThat(retries.delay(2, Optional.empty())).as("second retry").isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void honoursRetryAfterUpToTheCap() {
        assertThat(retries.delay(1, Optional.of(Duration.ofSeconds(3)))).as("Retry-After 3 s").isEqualTo(Duration.ofSeconds(3));
        assertThat(retries.delay(1, Optional.of(Duration.ofHours(1)))).as("Retry-After 1 h, cap 10 s")
                .isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void countsTheBudget() {
        assertThat(retries.allowsAnother(2)).as("after 2 of 3 retries").isTrue();
        assertThat(retries.allowsAnother(3)).as("after 3 of 3 retries").isFalse();
    }

    @Test
    void parsesSecondsAndDatesAndIgnoresGarbage() {
        assertThat(Retries.parseRetryAfter(" 7 ")).as("seconds").hasValue(Duration.ofSeconds(7));
        assertThat(Retries.parseRetryAfter("-3")).as("negative seconds").hasValue(Duration.ZERO);
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusDays(1));
        assertThat(Retries.parseRetryAfter(past)).as("a date in the past").hasValue(Duration.ZERO);
        assertThat(Retries.parseRetryAfter("soon")).as("garbage").isEmpty();
    }
}
