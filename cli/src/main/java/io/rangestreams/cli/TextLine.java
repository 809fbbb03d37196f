package io.rangestreams.cli;

/**
 * One line of a listing, built column by column without {@link java.util.Formatter}: formatting each
 * line took most of a large listing's run, and loaded the formatter's locale data at every start. Not
 * thread-safe; reused line after line.
 */
final class TextLine {

    private final StringBuilder text = new StringBuilder(160);

    /** Empties the line for the next one. */
    TextLine clear() {
        text.setLength(0);
        return this;
    }

    /** {@code value} padded with spaces on the right to {@code width} ({@code %-Ns}). */
    TextLine left(String value, int width) {
        text.append(value);
        return spaces(width - value.length());
    }

    /** {@code value} padded with spaces on the left to {@code width} ({@code %Ns}). */
    TextLine right(String value, int width) {
        spaces(width - value.length());
        text.append(value);
        return this;
    }

    /** {@code value} in decimal, right-aligned in {@code width} ({@code %Nd}). */
    TextLine right(long value, int width) {
        return right(Long.toString(value), width);
    }

    /** {@code value} as 8 lower-case hex digits ({@code %08x} of a 32-bit value). */
    TextLine hex8(long value) {
        String hex = Long.toHexString(value & 0xffffffffL);
        zeros(8 - hex.length());
        text.append(hex);
        return this;
    }

    /** {@code value} with leading zeros to {@code width} ({@code %0Nd}, for a value that is not negative). */
    TextLine zeroPadded(long value, int width) {
        String digits = Long.toString(value);
        zeros(width - digits.length());
        text.append(digits);
        return this;
    }

    /** Text as it is. */
    TextLine add(String value) {
        text.append(value);
        return this;
    }

    /** One character. */
    TextLine add(char c) {
        text.append(c);
        return this;
    }

    /** The column gap of every listing: two spaces. */
    TextLine gap() {
        return spaces(2);
    }

    @Override
    public String toString() {
        return text.toString();
    }

    private TextLine spaces(int n) {
        for (int i = 0; i < n; i++) {
            text.append(' ');
        }
        return this;
    }

    private void zeros(int n) {
        for (int i = 0; i < n; i++) {
            text.append('0');
        }
    }
}
