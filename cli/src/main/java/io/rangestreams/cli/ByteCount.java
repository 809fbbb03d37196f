package io.rangestreams.cli;

import java.util.Locale;

/** Human-readable byte counts: {@code 512 B}, {@code 64.0 KiB}, {@code 8.4 MiB}. */
final class ByteCount {

    private ByteCount() {}

    /** {@code bytes} with a binary unit. */
    static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** {@code part} as a percentage of {@code whole}, e.g. {@code 0.8%}; a part too small for that, {@code <0.1%}. */
    static String percent(long part, long whole) {
        if (whole <= 0) {
            return "-";
        }
        double p = 100.0 * part / whole;
        return part > 0 && p < 0.05 ? "<0.1%" : String.format(Locale.ROOT, "%.1f%%", p);
    }
}
