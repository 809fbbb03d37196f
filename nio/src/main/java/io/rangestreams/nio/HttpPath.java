package io.rangestreams.nio;

import java.net.URI;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A path on an {@link HttpFileSystem}: the URI path (raw, percent-encoded as in the URI, with any
 * query kept on the last name), {@code /}-separated. Immutable.
 */
final class HttpPath implements Path {

    private final HttpFileSystem fs;
    private final String path;
    private final List<String> names;

    HttpPath(HttpFileSystem fs, String path) {
        this.fs = fs;
        this.path = path;
        this.names = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    HttpFileSystem fs() {
        return fs;
    }

    @Override
    public HttpFileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return path.startsWith("/");
    }

    @Override
    public Path getRoot() {
        return isAbsolute() ? new HttpPath(fs, "/") : null;
    }

    @Override
    public Path getFileName() {
        return names.isEmpty() ? null : new HttpPath(fs, names.get(names.size() - 1));
    }

    @Override
    public Path getParent() {
        if (names.isEmpty() || names.size() == 1 && !isAbsolute()) {
            return null;
        }
        return new HttpPath(fs, (isAbsolute() ? "/" : "") + String.join("/", names.subList(0, names.size() - 1)));
    }

    @Override
    public int getNameCount() {
        return names.size();
    }

    @Override
    public Path getName(int index) {
        return new HttpPath(fs, names.get(index));
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        return new HttpPath(fs, String.join("/", names.subList(beginIndex, endIndex)));
    }

    @Override
    public boolean startsWith(Path other) {
        HttpPath o = check(other);
        return o.isAbsolute() == isAbsolute() && o.names.size() <= names.size()
                && names.subList(0, o.names.size()).equals(o.names);
    }

    @Override
    public boolean endsWith(Path other) {
        HttpPath o = check(other);
        if (o.isAbsolute()) {
            return equals(o);
        }
        return o.names.size() <= names.size() && names.subList(names.size() - o.names.size(), names.size()).equals(o.names);
    }

    @Override
    public Path normalize() {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (n.equals(".")) {
                continue;
            }
            if (n.equals("..") && !out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                out.remove(out.size() - 1);
            } else if (!(n.equals("..") && isAbsolute())) {
                out.add(n);
            }
        }
        return new HttpPath(fs, (isAbsolute() ? "/" : "") + String.join("/", out) + (path.endsWith("/") && !out.isEmpty()
                ? "/" : ""));
    }

    @Override
    public Path resolve(Path other) {
        HttpPath o = check(other);
        if (o.isAbsolute()) {
            return o;
        }
        if (o.path.isEmpty()) {
            return this;
        }
        return new HttpPath(fs, path.endsWith("/") ? path + o.path : path + "/" + o.path);
    }

    @Override
    public Path relativize(Path other) {
        HttpPath o = check(other);
        if (o.isAbsolute() != isAbsolute()) {
            throw new IllegalArgumentException("cannot relativize " + other + " against " + this);
        }
        int common = 0;
        while (common < names.size() && common < o.names.size() && names.get(common).equals(o.names.get(common))) {
            common++;
        }
        List<String> out = new ArrayList<>();
        for (int i = common; i < names.size(); i++) {
            out.add("..");
        }
        out.addAll(o.names.subList(common, o.names.size()));
        return new HttpPath(fs, String.join("/", out));
    }

    @Override
    public URI toUri() {
        return URI.create(fs.origin() + toAbsolutePath());
    }

    @Override
    public Path toAbsolutePath() {
        return isAbsolute() ? this : new HttpPath(fs, "/" + path);
    }

    @Override
    public Path toRealPath(LinkOption... options) {
        return toAbsolutePath().normalize();
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        throw new UnsupportedOperationException("http(s) paths cannot be watched");
    }

    @Override
    public int compareTo(Path other) {
        return toString().compareTo(check(other).toString());
    }

    private HttpPath check(Path other) {
        Objects.requireNonNull(other, "other");
        if (!(other instanceof HttpPath p) || p.fs != fs) {
            throw new ProviderMismatchException("not a path of " + fs + ": " + other);
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpPath p && p.fs == fs && p.path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return path;
    }
}
