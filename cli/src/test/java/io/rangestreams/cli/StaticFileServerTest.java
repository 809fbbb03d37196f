package io.rangestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code serve} server answers ranges as HTTP says, checked with the JDK's own client. */
class StaticFileServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    private StaticFileServer server;
    private byte[] content;

    @BeforeEach
    void start() throws IOException {
        content = new byte[100_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 7 + (i >>> 8));
        }
        Files.write(dir.resolve("file.bin"), content);
        Files.createDirectories(dir.resolve("sub dir"));
        Files.writeString(dir.resolve("sub dir/a b.txt"), "spaces work\n");
        server = StaticFileServer.start(dir, 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<byte[]> send(String method, URI uri, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI file() {
        return server.uri("file.bin");
    }

    @Test
    void servesARangeWith206AndContentRange() throws Exception {
        HttpResponse<byte[]> r = send("GET", file(), "Range", "bytes=10-19");
        assertThat(r.statusCode()).as("status of bytes=10-19").isEqualTo(206);
        assertThat(r.headers().firstValue("Content-Range")).as("Content-Range of bytes=10-19")
                .hasValue("bytes 10-19/100000");
        assertThat(r.body()).as("body of bytes=10-19").isEqualTo(Arrays.copyOfRange(content, 10, 20));
    }

    @Test
    void servesSuffixAndOpenRanges() throws Exception {
        assertThat(send("GET", file(), "Range", "bytes=-5").body()).as("body of bytes=-5")
                .isEqualTo(Arrays.copyOfRange(content, 99_995, 100_000));
        assertThat(send("GET", file(), "Range", "bytes=99990-").body()).as("body of bytes=99990-")
                .isEqualTo(Arrays.copyOfRange(content, 99_990, 100_000));
        assertThat(send("GET", file(), "Range", "bytes=99990-200000").body()).as("body of bytes=99990-200000")
                .isEqualTo(Arrays.copyOfRange(content, 99_990, 100_000));
    }

    @Test
    void answers416PastTheEnd() throws Exception {
        HttpResponse<byte[]> r = send("GET", file(), "Range", "bytes=100000-100010");
        assertThat(r.statusCode()).as("status of bytes=100000-100010").isEqualTo(416);
        assertThat(r.headers().firstValue("Content-Range")).as("Content-Range of a 416").hasValue("bytes */100000");
    }

    @Test
    void answersHeadWithLengthAndValidators() throws Exception {
        HttpResponse<byte[]> r = send("HEAD", file());
        assertThat(r.statusCode()).as("status of HEAD").isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Length")).as("Content-Length of HEAD").hasValue("100000");
        assertThat(r.headers().firstValue("ETag")).as("ETag of HEAD").hasValueSatisfying(e -> assertThat(e).startsWith("\""));
        assertThat(r.headers().firstValue("Accept-Ranges")).as("Accept-Ranges of HEAD").hasValue("bytes");
        assertThat(r.body()).as("body of HEAD").isEmpty();
    }

    @Test
    void honoursIfRangeAndIfNoneMatch() throws Exception {
        String etag = send("HEAD", file()).headers().firstValue("ETag").orElseThrow();
        assertThat(send("GET", file(), "Range", "bytes=0-9", "If-Range", etag).statusCode())
                .as("status with a matching If-Range").isEqualTo(206);
        HttpResponse<byte[]> changed = send("GET", file(), "Range", "bytes=0-9", "If-Range", "\"other\"");
        assertThat(changed.statusCode()).as("status with a stale If-Range").isEqualTo(200);
        assertThat(changed.body()).as("body with a stale If-Range").isEqualTo(content);
        assertThat(send("GET", file(), "If-None-Match", etag).statusCode()).as("status of If-None-Match").isEqualTo(304);
    }

    @Test
    void servesSeveralRangesAsOneMultipartBody() throws Exception {
        HttpResponse<byte[]> r = send("GET", file(), "Range", "bytes=90000-90009,0-1,-3,200000-");
        assertThat(r.statusCode()).as("status of several ranges").isEqualTo(206);
        String type = r.headers().firstValue("Content-Type").orElse("");
        assertThat(type).as("Content-Type of several ranges").startsWith("multipart/byteranges; boundary=");
        String boundary = type.substring(type.indexOf('=') + 1);
        String body = new String(r.body(), StandardCharsets.ISO_8859_1);
        String expected = part(boundary, 90_000, 90_010) + part(boundary, 0, 2) + part(boundary, 99_997, 100_000)
                + "\r\n--" + boundary + "--\r\n";
        assertThat(body).as("the parts, in the order asked, without the one past the end").isEqualTo(expected);
        assertThat(r.headers().firstValueAsLong("Content-Length").orElse(-1)).as("Content-Length of the body")
                .isEqualTo(r.body().length);
    }

    private String part(String boundary, int start, int stop) {
        return "\r\n--" + boundary + "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes " + start
                + "-" + (stop - 1) + "/100000\r\n\r\n"
                + new String(Arrays.copyOfRange(content, start, stop), StandardCharsets.ISO_8859_1);
    }

    @Test
    void getOfSeveralRangesTakesOneRequestToServe() throws Exception {
        CliRun run = CliRun.run("get", "--stats", "-r", "50000-50099", "-r", "10-19", "-r", "99990-99999",
                server.uri("file.bin").toString());
        assertThat(run.status()).as(run.describe()).isZero();
        byte[] expected = new byte[120];
        System.arraycopy(content, 50_000, expected, 0, 100);
        System.arraycopy(content, 10, expected, 100, 10);
        System.arraycopy(content, 99_990, expected, 110, 10);
        assertThat(run.out()).as("bytes of three ranges, in the order given").isEqualTo(expected);
        // counted as each request arrives, so before the client has its answer
        assertThat(server.requests()).as("requests serve answered for three ranges").isEqualTo(1);
        assertThat(run.lastErrLine()).as(run.describe()).startsWith("stats: requests=1 ");
    }

    @Test
    void servesTheWholeFileForOverlappingOrMalformedRanges() throws Exception {
        for (String range : new String[] {"bytes=0-10,5-20", "bytes=0-1,x-2"}) {
            HttpResponse<byte[]> r = send("GET", file(), "Range", range);
            assertThat(r.statusCode()).as("status of " + range).isEqualTo(200);
            assertThat(r.body()).as("body of " + range).isEqualTo(content);
        }
        HttpResponse<byte[]> past = send("GET", file(), "Range", "bytes=100000-100001,200000-");
        assertThat(past.statusCode()).as("status of several ranges all past the end").isEqualTo(416);
    }

    @Test
    void refusesToLeaveTheRootAndReports404() throws Exception {
        Files.writeString(dir.getParent().resolve("secret-" + dir.getFileName()), "secret");
        URI escape = URI.create("http://127.0.0.1:" + server.port() + "/..%2Fsecret-" + dir.getFileName());
        assertThat(send("GET", escape).statusCode()).as("status of " + escape).isEqualTo(404);
        assertThat(send("GET", server.uri("missing.bin")).statusCode()).as("status of a missing file").isEqualTo(404);
        Files.delete(dir.getParent().resolve("secret-" + dir.getFileName()));
    }

    @Test
    void encodesNamesWithSpaces() throws Exception {
        HttpResponse<byte[]> r = send("GET", server.uri("sub dir/a b.txt"));
        assertThat(r.statusCode()).as("status of " + server.uri("sub dir/a b.txt")).isEqualTo(200);
        assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).as("body").isEqualTo("spaces work\n");
    }

    @Test
    void countsRequestsAndBytes() throws Exception {
        send("GET", file(), "Range", "bytes=0-99");
        send("HEAD", file());
        assertThat(server.requests()).as("requests counted").isEqualTo(2);
        assertThat(server.bytesServed()).as("bytes counted").isEqualTo(100);
    }

    @Test
    void theCliReadsThroughIt() {
        CliRun run = CliRun.run("get", "--range", "-100", file().toString(), "--stats");
        assertThat(run.status()).as(run.describe()).isZero();
        assertThat(run.out()).as(run.describe()).isEqualTo(Arrays.copyOfRange(content, 99_900, 100_000));
        assertThat(run.lastErrLine()).as(run.describe()).startsWith("stats: requests=1 ");
    }

    @Test
    void writesLastModifiedAsImfFixdateAndHonoursIt() throws Exception {
        Files.setLastModifiedTime(dir.resolve("file.bin"), FileTime.from(Instant.parse("2026-12-04T09:05:07Z")));
        HttpResponse<byte[]> r = send("HEAD", file());
        assertThat(r.headers().firstValue("Last-Modified")).as("Last-Modified of a file modified 2026-12-04")
                .hasValue("Fri, 04 Dec 2026 09:05:07 GMT");
        assertThat(send("GET", file(), "If-Modified-Since", "Fri, 04 Dec 2026 09:05:07 GMT").statusCode())
                .as("status of If-Modified-Since the same time").isEqualTo(304);
        assertThat(send("GET", file(), "If-Modified-Since", "Fri, 4 Dec 2026 09:05:06 GMT").statusCode())
                .as("status of If-Modified-Since a second before, with a one-digit day").isEqualTo(200);
    }

    @Test
    void setsTheContentTypeFromTheExtension() throws Exception {
        for (String[] nameAndType : new String[][] {{"a.png", "image/png"}, {"b.tar.gz", "application/gzip"},
                {"c.json", "application/json"}, {"d.html", "text/html; charset=utf-8"}, {"e.zip", "application/zip"},
                {"f.tar", "application/x-tar"}, {"g.unknown", "application/octet-stream"},
                {"noextension", "application/octet-stream"}}) {
            Files.write(dir.resolve(nameAndType[0]), new byte[] {1, 2, 3});
            HttpResponse<byte[]> r = send("GET", server.uri(nameAndType[0]));
            assertThat(r.headers().firstValue("Content-Type")).as("Content-Type of " + nameAndType[0])
                    .hasValue(nameAndType[1]);
        }
    }

    @Nested
    class HalfSentRequests {

        private static final String HALF = "GET /file.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=0-9\r\n";

        private Socket halfSent(StaticFileServer s) throws IOException {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), s.port());
            OutputStream out = socket.getOutputStream();
            out.write(HALF.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return socket;
        }

        @Test
        void aFloodHoldsNoThreadAndANormalRequestIsAnswered() throws Exception {
            StaticFileServer.Limits limits = new StaticFileServer.Limits(4, 16, Duration.ofMinutes(5),
                    Duration.ofMinutes(5), 16 * 1024);
            List<Socket> flood = new ArrayList<>();
            try (StaticFileServer small = StaticFileServer.start(dir, 0, line -> { }, limits)) {
                try {
                    for (int i = 0; i < 300; i++) {
                        flood.add(halfSent(small));
                    }
                    HttpResponse<byte[]> r = send("GET", small.uri("file.bin"), "Range", "bytes=10-19");
                    assertThat(r.statusCode()).as("status of a normal request behind 300 half-sent ones").isEqualTo(206);
                    assertThat(r.body()).as("body of a normal request behind 300 half-sent ones")
                            .isEqualTo(Arrays.copyOfRange(content, 10, 20));
                    assertThat(small.workerThreads()).as("worker threads with 300 half-sent requests open")
                            .isLessThanOrEqualTo(4);
                } finally {
                    for (Socket socket : flood) {
                        socket.close();
                    }
                }
            }
        }

        @Test
        void aRequestHeadNotFinishedInTimeGets408AndIsClosed() throws Exception {
            StaticFileServer.Limits limits = new StaticFileServer.Limits(4, 16, Duration.ofMillis(300),
                    Duration.ofMinutes(5), 16 * 1024);
            try (StaticFileServer quick = StaticFileServer.start(dir, 0, line -> { }, limits);
                    Socket socket = halfSent(quick)) {
                socket.setSoTimeout(60_000); // only a guard against a hang: the server closes long before
                InputStream in = socket.getInputStream();
                String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(answer).as("what a half-sent request got after a 300 ms header timeout")
                        .startsWith("HTTP/1.1 408 ");
            }
        }

        @Test
        void anOverlongHeadGets431() throws Exception {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                socket.setSoTimeout(60_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET /file.bin HTTP/1.1\r\nX-Long: " + "x".repeat(20_000) + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(answer).as("what a 20 KB request head got").startsWith("HTTP/1.1 431 ");
            }
        }
    }
}
