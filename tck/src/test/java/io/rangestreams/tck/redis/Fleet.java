package io.rangestreams.tck.redis;

import io.rangestreams.Range;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link FleetReader}s in their own JVMs: started together, released together (each waits for a line
 * on its standard input once its client is open), and collected.
 */
final class Fleet implements AutoCloseable {

    /** What one reader printed: SHA-256 per range read, and its stats. */
    record Report(Map<Range, String> digests, long requests, long bytesFetched, long bytesFromStore) {}

    private final List<Process> processes = new ArrayList<>();
    private final List<BufferedReader> outputs = new ArrayList<>();

    /**
     * Starts one reader per list of ranges and waits until every one is ready. The JVMs are small and
     * compile with C1 only: eight of them start on two cores in a fraction of the time.
     */
    static Fleet start(String storeSpec, String uri, List<List<Range>> work) throws IOException {
        Fleet fleet = new Fleet();
        try {
            for (List<Range> ranges : work) {
                List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m", "-cp",
                        System.getProperty("java.class.path"), FleetReader.class.getName(), storeSpec, uri));
                ranges.forEach(r -> command.add(r.start() + "-" + r.stop()));
                Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                fleet.processes.add(p);
                fleet.outputs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
            }
            for (int i = 0; i < fleet.outputs.size(); i++) {
                fleet.await(i, "ready");
            }
            return fleet;
        } catch (IOException | RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    /** Lets every reader go and collects what each reports, in the order they were started. */
    List<Report> run() throws IOException, InterruptedException {
        for (Process p : processes) {
            OutputStream in = p.getOutputStream();
            in.write('\n');
            in.flush();
        }
        List<Report> reports = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            Map<Range, String> digests = new TreeMap<>((a, b) -> Long.compare(a.start(), b.start()) != 0
                    ? Long.compare(a.start(), b.start()) : Long.compare(a.stop(), b.stop()));
            String[] stats = null;
            String line;
            while ((line = outputs.get(i).readLine()) != null && !line.equals("done")) {
                String[] w = line.split(" ");
                if (w[0].equals("range")) {
                    digests.put(Range.of(Long.parseLong(w[1]), Long.parseLong(w[2])), w[3]);
                } else if (w[0].equals("stats")) {
                    stats = w;
                }
            }
            int exit = processes.get(i).waitFor();
            if (exit != 0 || stats == null) {
                throw new IOException("reader " + i + " ended with status " + exit + " before reporting its stats");
            }
            reports.add(new Report(digests, Long.parseLong(stats[1]), Long.parseLong(stats[2]), Long.parseLong(stats[3])));
        }
        return reports;
    }

    private void await(int i, String word) throws IOException {
        String line;
        while ((line = outputs.get(i).readLine()) != null) {
            if (line.equals(word)) {
                return;
            }
        }
        throw new IOException("reader " + i + " ended before printing '" + word + "'");
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
    }
}
