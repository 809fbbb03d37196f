package io.rangestreams.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * URL arguments: an absolute {@code http} or {@code https} URL with a host, given on the command line
 * or read from a file with {@code -i FILE}.
 */
final class UrlArgument {

    /** {@code -i FILE}: URLs one a line. */
    static final CliOption INPUT = CliOption.valued("FILE", "Read URLs from FILE, one a line ('-' for standard"
            + " input); blank lines and lines starting with # are skipped.", "-i", "--input");
    /** {@code --jobs N}: URLs at once. */
    static final CliOption JOBS = CliOption.valued("N", "How many URLs are worked on at once (default: 20).",
            "--jobs");

    /** The default of {@code --jobs}. */
    static final int DEFAULT_JOBS = 20;

    private UrlArgument() {}

    /**
     * The URLs of a command line: its positional arguments from {@code first} on, then those of
     * {@code -i FILE}.
     *
     * @throws UsageException if a URL is malformed or none is given
     */
    static List<URI> urls(ParsedCommandLine line, int first, InputStream stdin) throws IOException {
        List<String> given = new ArrayList<>(line.positionals().subList(first, line.positionals().size()));
        for (String file : line.values(INPUT.key())) {
            given.addAll(readList(file, stdin));
        }
        if (given.isEmpty()) {
            throw line.usageError("no URL given (give URL..., or -i FILE with one URL a line)");
        }
        List<URI> urls = new ArrayList<>(given.size());
        for (String s : given) {
            urls.add(parse(line, s));
        }
        return urls;
    }

    /** The {@code --jobs} value. */
    static int jobs(ParsedCommandLine line) {
        return line.intValue(JOBS.key(), DEFAULT_JOBS, 1, 1024);
    }

    private static List<String> readList(String file, InputStream stdin) throws IOException {
        InputStream in = file.equals("-") ? stdin : Files.newInputStream(Path.of(file));
        List<String> lines = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        try {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                String s = l.strip();
                if (!s.isEmpty() && !s.startsWith("#")) {
                    lines.add(s);
                }
            }
        } finally {
            if (in != stdin) {
                r.close();
            }
        }
        return lines;
    }

    /**
     * Parses a URL.
     *
     * @throws UsageException naming the value and what is wrong with it; a local path gets a hint
     *     that works: serving its directory
     */
    static URI parse(ParsedCommandLine line, String value) {
        if (looksLocal(value.strip())) {
            throw line.usageError(localHint(value, Path.of(value.strip())));
        }
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw line.usageError("'" + value + "' is not a URL: " + e.getReason()
                    + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            throw line.usageError(localHint(value, Path.of(uri.getPath())));
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw line.usageError("'" + value + "' is not an http or https URL"
                    + (uri.getScheme() == null ? " (no scheme; try http://" + value + ")" : ""));
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw line.usageError("'" + value + "' has no host");
        }
        return uri;
    }

    private static boolean looksLocal(String value) {
        if (value.startsWith("/") || value.startsWith("./") || value.startsWith("../") || value.startsWith("~")) {
            return true;
        }
        try {
            return !value.contains("://") && Files.exists(Path.of(value));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static String localHint(String value, Path path) {
        Path file = path.toAbsolutePath().normalize();
        Path dir = file.getParent() == null ? file : file.getParent();
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        String url;
        try {
            url = new URI("http", null, "127.0.0.1", 8080, "/" + name, null, null).toASCIIString();
        } catch (URISyntaxException e) {
            url = "http://127.0.0.1:8080/";
        }
        return "'" + value + "' is a local path, not an http or https URL; to read it over HTTP, serve its"
                + " directory with '" + RangeStreamsCommand.NAME + " serve " + dir + "' and use " + url;
    }
}
