package io.rangestreams.internal;

import io.rangestreams.RangeStream;
import io.rangestreams.spi.RangeStreamProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

/** Finds the {@link RangeStreamProvider}s on the class path, and the one that makes a format. */
public final class FormatProviders {

    private FormatProviders() {}

    /** The format providers found by {@code loader}. */
    public static List<RangeStreamProvider<?>> all(ClassLoader loader) {
        List<RangeStreamProvider<?>> found = new ArrayList<>();
        for (RangeStreamProvider<?> p : ServiceLoader.load(RangeStreamProvider.class, loader)) {
            found.add(p);
        }
        return found;
    }

    /** The provider that makes {@code format}, or an {@link IllegalArgumentException} naming those found. */
    public static RangeStreamProvider<?> of(Class<? extends RangeStream> format, ClassLoader loader) {
        Objects.requireNonNull(format, "format");
        List<RangeStreamProvider<?>> found = all(loader);
        return found.stream()
                .filter(p -> format.isAssignableFrom(p.type()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no format provider makes " + format.getName()
                        + "; available: " + found.stream().map(RangeStreamProvider::format).toList()
                        + " (add range-streams-formats to the class path)"));
    }
}
