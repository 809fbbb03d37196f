package io.rangestreams.cli;

/**
 * Human-readable byte counts: {@code 512 B}, {@code 64.0 KiB}, {@code 8.4 MiB}. Written without
 * {@link java.util.Formatter}, whose locale data every command would otherwise load at start.
 */
final class ByteCount {

    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private ByteCount() {}

    /** {@code bytes} with a binary unit. */
    static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        return oneDecimal(v) + " " + UNITS[u];
    }

    /** {@code part} as a percentage of {@code whole}, e.g. {@code 0.8%}; a part too small for that, {@code <0.1%}. */
    static String percent(long part, long whole) {
        if (whole <= 0) {
            return "-";
        }
        double p = 100.0 * part / whole;
        return part > 0 && p < 0.05 ? "<0.1%" : oneDecimal(p) + "%";
    }

    /** {@code v}, which is not negative, rounded half up to one decimal: {@code 8.4}. */
    private static String oneDecimal(double v) {
        long tenths = Math.round(v * 10);
        return tenths / 10 + "." + tenths % 10;
    }
}
