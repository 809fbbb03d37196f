package io.rangestreams.tck;

/** The test servers' deterministic content: any byte is computable from a seed and its offset. */
final class GeneratedContent {

    /** The 256 possible 4 KiB blocks of generated content: block c holds (j*31 ^ j/256 ^ c) for j < 4096. */
    private static final byte[] BLOCKS = new byte[256 * 4096];

    static {
        for (int c = 0; c < 256; c++) {
            for (int j = 0; j < 4096; j++) {
                BLOCKS[(c << 12) + j] = (byte) (j * 31 ^ (j >>> 8) ^ c);
            }
        }
    }

    private GeneratedContent() {}

    /** Content with this seed: {@code len} bytes from {@code offset} into {@code buf}. */
    static void fill(long seed, long offset, byte[] buf, int len) {
        // byte(x) = x*31 ^ mix(x / 4096) ^ x/256 (low 8 bits). Within a 4 KiB block only the low 12
        // bits of x vary, so a block is one of 256 precomputed 4 KiB blocks (chosen by the block's
        // constant part) and filling is copying: serving a gibibyte costs the server little CPU next
        // to the client it is measured with.
        long seedMix = seed * 0xBF58476D1CE4E5B9L;
        int i = 0;
        while (i < len) {
            long x = offset + i;
            int mix = (int) (((x >>> 12) * 0x9E3779B97F4A7C15L + seedMix) >>> 40);
            int constant = (mix ^ (int) ((x >>> 8) & 0xf0)) & 0xff;
            int from = (int) (x & 4095);
            int n = Math.min(len - i, 4096 - from);
            System.arraycopy(BLOCKS, (constant << 12) + from, buf, i, n);
            i += n;
        }
    }
}
