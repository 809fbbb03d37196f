package io.rangestreams.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small POSIX (ustar) tar of text files, for {@link StartupTraining}: enough of the format for the tar
 * reader to run, so the training needs no archiver on the machine.
 */
final class TrainingTar {

    private static final int BLOCK = 512;

    private TrainingTar() {}

    /** The tar of {@code files} (name to content, in name order), ending with its two zero blocks. */
    static byte[] of(Map<String, String> files) {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        new TreeMap<>(files).forEach((name, text) -> {
            byte[] content = text.getBytes(StandardCharsets.UTF_8);
            tar.writeBytes(header(name, content.length));
            tar.writeBytes(content);
            tar.writeBytes(new byte[(BLOCK - content.length % BLOCK) % BLOCK]);
        });
        tar.writeBytes(new byte[2 * BLOCK]);
        return tar.toByteArray();
    }

    private static byte[] header(String name, long size) {
        byte[] h = new byte[BLOCK];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0001750");
        put(h, 116, "0001750");
        put(h, 124, octal(size, 11));
        put(h, 136, "14640244300"); // 2024-06-30 12:00 UTC, the demo archive's date
        h[156] = '0';
        put(h, 257, "ustar");
        put(h, 263, "00");
        put(h, 265, "range-streams");
        put(h, 297, "range-streams");
        for (int i = 148; i < 156; i++) {
            h[i] = ' '; // the checksum is summed with its own field as spaces
        }
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, octal(sum, 6));
        h[154] = 0;
        return h;
    }

    private static String octal(long value, int digits) {
        String octal = Long.toOctalString(value);
        return "0".repeat(Math.max(0, digits - octal.length())) + octal;
    }

    private static void put(byte[] header, int at, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, at, bytes.length);
    }
}
