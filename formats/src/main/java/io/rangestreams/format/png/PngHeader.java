package io.rangestreams.format.png;

/**
 * The fields of a PNG's {@code IHDR} chunk.
 *
 * @param width width in pixels (1 to 2^31-1)
 * @param height height in pixels (1 to 2^31-1)
 * @param bitDepth bits per sample or palette index: 1, 2, 4, 8 or 16
 * @param colourType 0 greyscale, 2 truecolour, 3 indexed, 4 greyscale with alpha, 6 truecolour with alpha
 * @param compression compression method (0)
 * @param filter filter method (0)
 * @param interlace 0 none, 1 Adam7
 */
public record PngHeader(long width, long height, int bitDepth, int colourType, int compression, int filter,
        int interlace) {

    /** Validates the fields, naming the bad value. */
    public PngHeader {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("PNG dimensions must be positive, were " + width + "x" + height);
        }
    }

    /**
     * The colour type as the PNG specification names it: {@code greyscale}, {@code truecolour},
     * {@code indexed-colour}, {@code greyscale with alpha}, {@code truecolour with alpha}, or
     * {@code unknown (N)}.
     */
    public String colourTypeName() {
        return switch (colourType) {
            case 0 -> "greyscale";
            case 2 -> "truecolour";
            case 3 -> "indexed-colour";
            case 4 -> "greyscale with alpha";
            case 6 -> "truecolour with alpha";
            default -> "unknown (" + colourType + ")";
        };
    }

    /** Whether the image is Adam7-interlaced. */
    public boolean interlaced() {
        return interlace == 1;
    }
}
