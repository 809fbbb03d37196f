package io.rangestreams;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class HostQueueTest {

    private static final List<URI> URIS = List.of(
            URI.create("http://a.example/1"), URI.create("http://a.example/2"), URI.create("http://a.example/3"),
            URI.create("http://b.example/1"), URI.create("https://a.example/1"));

    @Nested
    class Taking {

        @Test
        void handsOutInOrderButSkipsAHostAtItsLimit() throws InterruptedException {
            HostQueue queue = new HostQueue(URIS, 2);

            assertThat(List.of(queue.take(), queue.take(), queue.take(), queue.take()))
                    .as("indexes handed out with two per host")
                    .containsExactly(OptionalInt.of(0), OptionalInt.of(1), OptionalInt.of(3), OptionalInt.of(4));
        }

        @Test
        void aReleasedHostGetsItsNextUri() throws InterruptedException {
            HostQueue queue = new HostQueue(URIS, 1);
            queue.take();
            queue.take();
            queue.take();

            queue.release(0);

            assertThat(queue.take()).as("after http://a.example/1 is done").hasValue(1);
        }

        @Test
        void givesNothingOnceEmpty() throws InterruptedException {
            HostQueue queue = new HostQueue(URIS.subList(0, 1), 4);
            queue.take();

            assertThat(queue.take()).as("a queue of one, taken").isEmpty();
        }
    }

    @Nested
    class Closing {

        @Test
        void returnsWhatWasNeverHandedOutInOrder() throws InterruptedException {
            HostQueue queue = new HostQueue(URIS, 1);
            queue.take();

            assertThat(queue.close()).as("left after one taken").containsExactly(1, 2, 3, 4);
            assertThat(queue.take()).as("take after close").isEmpty();
        }
    }

    @Test
    void keysAHostBySchemeHostAndPort() {
        assertThat(List.of(HostQueue.hostOf(URI.create("HTTP://A.example/x")),
                        HostQueue.hostOf(URI.create("https://a.example/x")),
                        HostQueue.hostOf(URI.create("http://a.example:8080/x"))))
                .as("host keys")
                .containsExactly("http://a.example:80", "https://a.example:443", "http://a.example:8080");
    }
}
