package io.rangestreams.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Range;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** T15: the connection limit of the options. */
abstract class TransportConnectionLimitRules extends TransportFixture {

    TransportConnectionLimitRules(RangeTransportContract contract) {
        super(contract);
    }

    @Test
    @DisplayName("T15 no more exchanges run at once to one host than maxConnections allows")
    final void maxConnectionsIsHonoured() throws Exception {
        RangeTransport t = transport(defaultOptions().withMaxConnections(2));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch twoHeld = new CountDownLatch(2);
        CountDownLatch thirdHeld = new CountDownLatch(1);
        server().add("/tck/held", 10_000);
        server().add("/tck/third", 10_000);
        server().fault("/tck/held", new Fault.Gate(0, twoHeld, release));
        server().fault("/tck/third", new Fault.Gate(0, thirdHeld, release));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<byte[]>> bodies = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                bodies.add(pool.submit(() -> body(t.send(RangeRequest.get(server().uri("/tck/held"), Range.of(0, 100))))));
            }
            assertThat(twoHeld.await(2, TimeUnit.MINUTES)).as("%s: two requests in flight with maxConnections 2",
                    t.name()).isTrue();
            bodies.add(pool.submit(() -> body(t.send(RangeRequest.get(server().uri("/tck/third"), Range.of(0, 100))))));
            // Nothing can show that a request will never come; two seconds is ample for one that was sent.
            assertThat(thirdHeld.await(2, TimeUnit.SECONDS))
                    .as("%s: a third request reached the server while two were in flight, maxConnections 2", t.name())
                    .isFalse();
            release.countDown();
            for (Future<byte[]> body : bodies) {
                assertThat(body.get(2, TimeUnit.MINUTES)).as("%s: a body once released", t.name()).hasSize(100);
            }
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }
}
