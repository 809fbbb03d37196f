package io.rangestreams.format.zip;

import static io.rangestreams.format.Archives.client;
import static io.rangestreams.format.Archives.noise;
import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.Outcome;
import io.rangestreams.RangeClient;
import io.rangestreams.tck.RangeServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** A batch of zip listings: {@code Batch.run(uris, ZipStream.class, ...)} against {@link RangeServer}. */
class ZipBatchTest {

    private static byte[] zip(int members) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (int m = 0; m < members; m++) {
                z.putNextEntry(new ZipEntry("m" + m));
                z.write(noise(m, 100));
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void listsEachZipInOneRequestAndANonZipFailsAlone() throws Exception {
        try (RangeServer server = RangeServer.start(); RangeClient client = client()) {
            List<URI> uris = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                uris.add(server.add("/z" + i + ".zip", zip(i)));
            }
            uris.add(3, server.add("/noise.zip", noise(7, 5000)));

            List<Outcome<Integer>> outcomes = client.batch().run(uris, ZipStream.class, z -> z.entries().size());

            assertThat(outcomes).as("member counts of eight zips and a file of noise, in order")
                    .extracting(o -> o.succeeded() ? ((Outcome.Success<Integer>) o).value() : -1)
                    .containsExactly(1, 2, 3, -1, 4, 5, 6, 7, 8);
            assertThat(server.requests()).as("requests for nine small files").hasSize(9);
        }
    }
}
