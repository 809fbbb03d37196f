package io.rangestreams.tck.selftest;

import io.rangestreams.RangeSet;
import io.rangestreams.spi.BodyReading;
import io.rangestreams.spi.FillingBody;
import io.rangestreams.spi.RangeRequest;
import io.rangestreams.spi.RangeResponse;
import io.rangestreams.spi.RangeStore;
import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.ResourceVersion;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.storage.memory.MemoryRangeStore;
import io.rangestreams.transport.jdk.JdkRangeTransport;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Deliberately broken backends: each gets one thing wrong, and the TCK must catch it with the rule
 * written for it. They wrap the real JDK transport and memory store so everything else is right.
 */
final class BrokenBackends {

    private BrokenBackends() {}

    /** Carries requests through the real JDK transport; each subclass gets one thing wrong. */
    abstract static class OverJdk implements RangeTransport {
        final JdkRangeTransport delegate;

        OverJdk(TransportOptions options) {
            this.delegate = new JdkRangeTransport(options);
        }

        @Override
        public RangeResponse send(RangeRequest request) throws IOException {
            return delegate.send(request);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** Drops the Range header: the server answers 200 with the whole body for every range. */
    static final class WholeBodyTransport extends OverJdk {
        WholeBodyTransport(TransportOptions options) {
            super(options);
        }

        @Override
        public String name() {
            return "broken-whole-body";
        }

        @Override
        public RangeResponse send(RangeRequest request) throws IOException {
            return delegate.send(new RangeRequest(request.method(), request.uri(), List.of(), request.headers()));
        }
    }

    /** Carries requests faithfully but does not say how its client reads bodies. */
    static final class UnstatedBodyReadingTransport extends OverJdk {
        UnstatedBodyReadingTransport(TransportOptions options) {
            super(options);
        }

        @Override
        public String name() {
            return "broken-unstated-body-reading";
        }

        @Override
        public BodyReading bodyReading() {
            return null;
        }
    }

    /** Ends every body after 100 bytes, silently: the response looks complete but is short. */
    static final class TruncatingTransport extends OverJdk {
        TruncatingTransport(TransportOptions options) {
            super(options);
        }

        @Override
        public String name() {
            return "broken-truncating";
        }

        @Override
        public RangeResponse send(RangeRequest request) throws IOException {
            RangeResponse r = delegate.send(request);
            byte[] head = r.body().readNBytes(100);
            r.close();
            return new RangeResponse(r.status(), r.uri(), r.headers(), new ByteArrayInputStream(head));
        }
    }

    /**
     * Gives bodies that are a {@link FillingBody} whose {@code fill} throws a failure at once, dropping
     * the bytes that came before it (what {@code readNBytes} does): the engine would fetch them again.
     */
    static final class DroppingFillTransport extends OverJdk {
        DroppingFillTransport(TransportOptions options) {
            super(options);
        }

        @Override
        public String name() {
            return "broken-dropping-fill";
        }

        @Override
        public RangeResponse send(RangeRequest request) throws IOException {
            RangeResponse r = delegate.send(request);
            return new RangeResponse(r.status(), r.uri(), r.headers(), new DroppingFillBody(r.body()));
        }
    }

    private static final class DroppingFillBody extends FilterInputStream implements FillingBody {
        DroppingFillBody(InputStream in) {
            super(in);
        }

        @Override
        public int fill(byte[] b, int off, int len) throws IOException {
            int n = in.readNBytes(b, off, len);
            return n == 0 && len > 0 ? -1 : n;
        }
    }

    /**
     * Asks for gzip and decompresses, as a client left at its defaults would: the bytes come out right,
     * but the server was allowed to compress (and the lengths no longer match its headers).
     */
    static final class DecompressingTransport implements RangeTransport {
        private final HttpClient client = HttpClient.newHttpClient();
        private boolean closed;

        DecompressingTransport(TransportOptions options) {}

        @Override
        public String name() {
            return "broken-decompressing";
        }

        @Override
        public RangeResponse send(RangeRequest request) throws IOException {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(request.uri()).header("Accept-Encoding", "gzip");
            request.headers().forEach(b::header);
            request.rangeHeader().ifPresent(h -> b.header("Range", h));
            b.method(request.method(), HttpRequest.BodyPublishers.noBody());
            try {
                HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
                InputStream body = r.body();
                Map<String, List<String>> headers = new HashMap<>(r.headers().map());
                if (r.headers().firstValue("Content-Encoding").orElse("").equals("gzip")) {
                    body = new GZIPInputStream(body);
                    headers.remove("content-encoding");
                }
                return new RangeResponse(r.statusCode(), r.uri(), headers, body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** A bounded store whose ranges() remembers everything ever written, evicted or not. */
    static final class ForgetfulStore implements RangeStore {
        private final MemoryRangeStore delegate;
        private final Map<String, RangeSet> claimed = new HashMap<>();

        ForgetfulStore(long maxBytes) {
            this.delegate = new MemoryRangeStore(maxBytes);
        }

        @Override
        public String name() {
            return "broken-forgetful";
        }

        @Override
        public Set<Capability> capabilities() {
            return delegate.capabilities();
        }

        @Override
        public Optional<ResourceVersion> version(String key) {
            return delegate.version(key);
        }

        @Override
        public boolean bind(String key, ResourceVersion version) {
            boolean dropped = delegate.bind(key, version);
            if (dropped) {
                claimed.remove(key);
            }
            return dropped;
        }

        @Override
        public synchronized RangeSet ranges(String key) {
            return claimed.getOrDefault(key, RangeSet.EMPTY).union(delegate.ranges(key));
        }

        @Override
        public synchronized boolean write(String key, ResourceVersion version, long position, ByteBuffer src) {
            int n = src.remaining();
            boolean stored = delegate.write(key, version, position, src);
            if (stored && n > 0) {
                claimed.merge(key, RangeSet.of(io.rangestreams.Range.of(position, position + n)), RangeSet::union);
            }
            return stored;
        }

        @Override
        public int read(String key, long position, ByteBuffer dst) {
            return delegate.read(key, position, dst);
        }

        @Override
        public void remove(String key) {
            claimed.remove(key);
            delegate.remove(key);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** A store that keeps the first bytes it got at each key, whatever version is bound later. */
    static final class StaleStore extends BrokenProviders.RenamedStore {
        StaleStore() {
            super("broken-stale");
        }

        @Override
        public boolean bind(String key, ResourceVersion version) {
            // Never drops: re-tags the held bytes with the new version instead.
            Optional<ResourceVersion> old = delegate.version(key);
            if (old.isEmpty() || old.get().isSameVersion(version)) {
                return delegate.bind(key, version);
            }
            RangeSet held = delegate.ranges(key);
            Map<Long, byte[]> bytes = new HashMap<>();
            for (io.rangestreams.Range r : held) {
                ByteBuffer b = ByteBuffer.allocate((int) r.length());
                delegate.read(key, r.start(), b);
                bytes.put(r.start(), b.array());
            }
            delegate.bind(key, version);
            bytes.forEach((pos, b) -> delegate.write(key, version, pos, ByteBuffer.wrap(b)));
            return false;
        }
    }
}
