package io.rangestreams.tck.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Batch;
import io.rangestreams.BatchListener;
import io.rangestreams.BatchProgress;
import io.rangestreams.BatchRun;
import io.rangestreams.HttpStatusException;
import io.rangestreams.Outcome;
import io.rangestreams.Range;
import io.rangestreams.RangeClient;
import io.rangestreams.RangeStream;
import io.rangestreams.storage.memory.MemoryRangeStore;
import io.rangestreams.tck.Fault;
import io.rangestreams.tck.RangeServer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** A batch over each bundled transport, against {@link RangeServer}: what the server saw, never time. */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"jdk", "okhttp", "apache"})
class BatchTest {

    @Parameter
    String transport;

    private final List<RangeServer> servers = new ArrayList<>();
    private final List<CountDownLatch> releases = new ArrayList<>();
    private RangeServer server;
    private RangeClient client;

    @BeforeEach
    void start() throws IOException {
        server = newServer();
        // A long read timeout: on a loaded machine a short one fails healthy requests. The stall test has its own.
        client = client(Duration.ofMinutes(1));
    }

    private RangeClient client(Duration readTimeout) {
        return RangeClient.builder()
                .transport(transport)
                .store(new MemoryRangeStore())
                .readTimeout(readTimeout)
                .retries(0)
                .build();
    }

    @AfterEach
    void stop() {
        releases.forEach(CountDownLatch::countDown);
        client.close();
        servers.forEach(RangeServer::close);
    }

    private RangeServer newServer() throws IOException {
        RangeServer s = RangeServer.start();
        servers.add(s);
        return s;
    }

    /** {@code count} resources on {@code on}, the i-th {@code 1000 + i} bytes long. */
    private static List<URI> resources(RangeServer on, int count) {
        return IntStream.range(0, count).mapToObj(i -> on.add("/f" + i, 1000 + i)).toList();
    }

    /** A gate holding every GET body of those resources after its headers; released after the test. */
    private Fault.Gate gate(RangeServer on, List<URI> uris, int reached) {
        Fault.Gate gate = new Fault.Gate(0, new CountDownLatch(reached), new CountDownLatch(1));
        releases.add(gate.release());
        uris.forEach(u -> on.fault(u.getPath(), gate));
        return gate;
    }

    private static byte[] head(RangeStream stream) throws IOException {
        return stream.read(Range.of(0, 100));
    }

    @Nested
    class Outcomes {

        @Test
        void returnsEachUrisValueInTheOrderGiven() throws Exception {
            List<URI> uris = resources(server, 30);

            List<Outcome<Long>> outcomes = client.forEach(uris, RangeStream::length);

            assertThat(outcomes).as("%s: outcomes of 30 URIs", transport)
                    .extracting(Outcome::uri).containsExactlyElementsOf(uris);
            assertThat(outcomes).as("%s: lengths of 30 URIs", transport)
                    .extracting(Outcome::orElseThrow)
                    .containsExactlyElementsOf(IntStream.range(0, 30).mapToObj(i -> 1000L + i).toList());
        }

        @Test
        void aFailedUriDoesNotStopTheOthers() throws Exception {
            List<URI> good = resources(server, 6);
            URI missing = server.uri("/missing");
            URI stalled = server.add("/stalled", 5000);
            gate(server, List.of(stalled), 1);
            URI notHttp = URI.create("ftp://127.0.0.1/x");
            List<URI> uris = new ArrayList<>(good);
            uris.add(2, missing);
            uris.add(4, stalled);
            uris.add(6, notHttp);

            List<Outcome<byte[]>> outcomes;
            try (RangeClient impatient = client(Duration.ofSeconds(2))) {
                outcomes = impatient.forEach(uris, BatchTest::head);
            }

            assertThat(outcomes.get(2)).as("%s: a 404", transport).isInstanceOfSatisfying(Outcome.Failure.class,
                    f -> assertThat(f.error()).isInstanceOfSatisfying(HttpStatusException.class,
                            e -> assertThat(e.status()).isEqualTo(404)));
            assertThat(outcomes.get(4)).as("%s: a body stalled past the read timeout", transport)
                    .isInstanceOfSatisfying(Outcome.Failure.class,
                            f -> assertThat(f.error()).isInstanceOf(IOException.class));
            assertThat(outcomes.get(6)).as("%s: an ftp URI", transport).isInstanceOfSatisfying(Outcome.Failure.class,
                    f -> assertThat(f.error()).isInstanceOf(IllegalArgumentException.class));
            for (URI u : good) {
                Outcome<byte[]> o = outcomes.get(uris.indexOf(u));
                assertThat(o.orElseThrow()).as("%s: the first bytes of %s", transport, u)
                        .isEqualTo(server.expected(u.getPath(), Range.of(0, 100)));
            }
        }

        @Test
        void aFunctionsOwnExceptionIsItsUrisFailure() throws Exception {
            List<URI> uris = resources(server, 4);

            List<Outcome<Long>> outcomes = client.forEach(uris, s -> {
                if (s.uri().equals(uris.get(1))) {
                    throw new IllegalStateException("no thanks");
                }
                return s.length();
            });

            assertThat(outcomes).as("%s: which succeeded", transport)
                    .extracting(Outcome::succeeded).containsExactly(true, false, true, true);
        }
    }

    @Nested
    class Limits {

        /** Runs the batch, opens the gates once each has held its count of requests, and checks all succeeded. */
        private void runPastGates(Batch batch, List<URI> uris, Fault.Gate... gates) throws InterruptedException {
            BatchRun<byte[]> run = batch.start(uris, BatchTest::head);
            for (Fault.Gate g : gates) {
                g.reached().await();
            }
            for (Fault.Gate g : gates) {
                g.release().countDown();
            }
            assertThat(run.await()).as("%s: outcomes", transport).allMatch(Outcome::succeeded);
        }

        @Test
        void neverMoreThanJobsPerHostAtOnceOnOneHost() throws Exception {
            RangeServer second = newServer();
            List<URI> first = resources(server, 12);
            List<URI> other = resources(second, 12);
            Fault.Gate gateA = gate(server, first, 3);
            Fault.Gate gateB = gate(second, other, 3);
            List<URI> uris = new ArrayList<>(first);
            uris.addAll(other);

            // Both hosts hold three at once: the first host's twelve did not keep the second waiting.
            runPastGates(client.batch().withJobsPerHost(3), uris, gateA, gateB);

            assertThat(server.maxConcurrentRequests()).as("%s: most requests at once on host 1", transport)
                    .isEqualTo(3);
            assertThat(second.maxConcurrentRequests()).as("%s: most requests at once on host 2", transport)
                    .isEqualTo(3);
        }

        @Test
        void neverMoreThanJobsAtOnceInAll() throws Exception {
            List<URI> uris = resources(server, 12);
            Fault.Gate gate = gate(server, uris, 4);

            runPastGates(client.batch().withJobs(4), uris, gate);

            assertThat(server.maxConcurrentRequests()).as("%s: most requests at once, jobs 4", transport)
                    .isEqualTo(4);
        }

        @Test
        void theDefaultPerHostLimitIsTheClientsConnectionsPerHost() {
            try (RangeClient six = RangeClient.builder().transport(transport).store(new MemoryRangeStore())
                    .maxConnections(6).build()) {
                Batch batch = six.batch();

                assertThat(batch.jobsPerHost()).as("%s: jobs per host", transport).isEqualTo(6);
                assertThat(batch.jobs()).as("%s: jobs", transport).isEqualTo(Batch.DEFAULT_JOBS);
            }
        }
    }

    @Nested
    class Cancelling {

        @Test
        void stopsTheRequestsInFlightAndStartsNoOther() throws Exception {
            List<URI> uris = resources(server, 10);
            Fault.Gate gate = gate(server, uris, 2);

            BatchRun<byte[]> run = client.batch().withJobs(2).start(uris, BatchTest::head);
            gate.reached().await();
            run.cancel();
            List<Outcome<byte[]>> outcomes = run.await();

            assertThat(outcomes).as("%s: outcomes after cancel", transport).allSatisfy(o -> assertThat(o)
                    .isInstanceOfSatisfying(Outcome.Failure.class,
                            f -> assertThat(f.error()).isInstanceOf(CancellationException.class)));
            assertThat(server.requests()).as("%s: requests the server got", transport).hasSize(2);
            assertThat(run.progress()).as("%s: progress after cancel", transport)
                    .returns(10, BatchProgress::done).returns(10, BatchProgress::failed);
        }

        @Test
        void interruptingRunCancelsTheBatch() throws Exception {
            List<URI> uris = resources(server, 10);
            Fault.Gate gate = gate(server, uris, 2);
            List<Outcome<byte[]>> seen = new ArrayList<>();
            CountDownLatch allFinished = new CountDownLatch(10);
            Batch batch = client.batch().withJobs(2).withListener(new BatchListener() {
                @Override
                public void finished(Outcome<?> outcome, BatchProgress progress) {
                    allFinished.countDown();
                }
            });
            Thread caller = new Thread(() -> {
                try {
                    seen.addAll(batch.run(uris, BatchTest::head));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            caller.start();
            gate.reached().await();
            caller.interrupt();
            caller.join();
            allFinished.await();

            assertThat(seen).as("%s: run returned nothing", transport).isEmpty();
            assertThat(server.requests()).as("%s: requests the server got", transport).hasSize(2);
        }
    }

    @Nested
    class Progress {

        /** What the listener was told, one line per call. */
        private record Event(String kind, URI uri, BatchProgress progress, long bytes) {}

        @Test
        void eventsArriveInOrderWithDoneCountingUpToTotal() throws Exception {
            List<URI> uris = new ArrayList<>(resources(server, 20));
            uris.add(7, server.uri("/missing"));
            List<Event> events = new ArrayList<>();
            BatchListener listener = new BatchListener() {
                @Override
                public synchronized void started(URI uri, BatchProgress p) {
                    events.add(new Event("started", uri, p, 0));
                }

                @Override
                public synchronized void received(URI uri, long bytes, BatchProgress p) {
                    events.add(new Event("received", uri, p, bytes));
                }

                @Override
                public synchronized void finished(Outcome<?> outcome, BatchProgress p) {
                    events.add(new Event("finished", outcome.uri(), p, 0));
                }
            };

            BatchRun<byte[]> run = client.batch().withJobs(5).withListener(listener).start(uris, BatchTest::head);
            run.await();

            List<Event> finished = events.stream().filter(e -> e.kind().equals("finished")).toList();
            assertThat(finished).as("%s: done counts of the finished events", transport)
                    .extracting(e -> e.progress().done())
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, 21).boxed().toList());
            assertThat(events.get(events.size() - 1).progress()).as("%s: the last event", transport)
                    .returns(21, BatchProgress::total).returns(true, BatchProgress::finished)
                    .returns(1, BatchProgress::failed);
            for (URI u : uris) {
                List<String> kinds = events.stream().filter(e -> e.uri().equals(u)).map(Event::kind).distinct().toList();
                assertThat(kinds).as("%s: events of %s", transport, u).startsWith("started").endsWith("finished");
            }
            long[] byteCounts = events.stream().mapToLong(e -> e.progress().bytes()).toArray();
            assertThat(byteCounts).as("%s: bytes never go down", transport).isSorted();
            long told = events.stream().mapToLong(Event::bytes).sum();
            long served = server.requests().stream().mapToLong(RangeServer.RecordedRequest::bodyBytes).sum();
            assertThat(told).as("%s: bytes told against bytes the server sent", transport).isEqualTo(served)
                    .isEqualTo(run.progress().bytes());
        }
    }
}
