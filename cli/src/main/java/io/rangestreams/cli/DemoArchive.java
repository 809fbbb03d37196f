package io.rangestreams.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes the demo's zip: a short README, a CSV, a month of logs (deflated) and 8 MiB of noise (stored),
 * so the archive is large next to what listing it and reading one member fetch. Deterministic: the same
 * bytes every time.
 */
final class DemoArchive {

    /** The member {@code demo} prints with {@code cat}. */
    static final String README = "README.txt";

    static final String TEXT = """
            Hello from range-streams!

            You are reading one member of a zip archive served over HTTP on 127.0.0.1.
            Only the archive's central directory and this member crossed the wire:
            compare the request and byte counts below with the archive's size.
            """;

    private static final LocalDateTime STAMP = LocalDateTime.of(2024, 6, 30, 12, 0);

    private DemoArchive() {}

    /** Writes the archive to {@code file}; returns the number of members. */
    static int write(Path file) throws IOException {
        int members = 0;
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.setComment("range-streams demo archive");
            deflated(zip, README, TEXT.getBytes(StandardCharsets.UTF_8));
            members++;
            StringBuilder csv = new StringBuilder("n,square,cube\n");
            for (long n = 1; n <= 10_000; n++) {
                csv.append(n).append(',').append(n * n).append(',').append(n * n * n).append('\n');
            }
            deflated(zip, "data/numbers.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
            members++;
            SplittableRandom random = new SplittableRandom(42);
            String[] levels = {"DEBUG", "INFO", "INFO", "INFO", "WARN", "ERROR"};
            for (int day = 1; day <= 30; day++) {
                StringBuilder log = new StringBuilder();
                for (int i = 0; i < 2_000; i++) {
                    log.append(String.format(Locale.ROOT, "2024-06-%02d %02d:%02d:%02d %-5s request %d took %d ms%n",
                            day, i / 120 % 24, i / 2 % 60, i % 60, levels[random.nextInt(levels.length)],
                            random.nextInt(1_000_000), random.nextInt(2_000)));
                }
                deflated(zip, String.format(Locale.ROOT, "logs/2024-06-%02d.log", day),
                        log.toString().getBytes(StandardCharsets.UTF_8));
                members++;
            }
            byte[] noise = new byte[8 * 1024 * 1024];
            for (int i = 0; i < noise.length; i += 8) {
                long v = random.nextLong();
                for (int b = 0; b < 8; b++) {
                    noise[i + b] = (byte) (v >>> (8 * b));
                }
            }
            stored(zip, "images/noise.bin", noise);
            members++;
        }
        return members;
    }

    private static void deflated(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(STAMP);
        e.setMethod(ZipEntry.DEFLATED);
        zip.putNextEntry(e);
        zip.write(content);
        zip.closeEntry();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(STAMP);
        e.setMethod(ZipEntry.STORED);
        CRC32 crc = new CRC32();
        crc.update(content);
        e.setCrc(crc.getValue());
        e.setSize(content.length);
        e.setCompressedSize(content.length);
        zip.putNextEntry(e);
        zip.write(content);
        zip.closeEntry();
    }
}
