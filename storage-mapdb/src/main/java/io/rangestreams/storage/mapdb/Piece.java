package io.rangestreams.storage.mapdb;

/**
 * One stored piece of a resource: {@code length} bytes from {@code start}, kept in the data file at
 * {@code place[0]} with one CRC32C per {@link DataFile#BLOCK} bytes in {@code place[1..]}. Identity
 * equality, so the recency order holds each piece once.
 */
final class Piece {

    final HeldResource owner;
    final long start;
    final int length;
    final long[] place;

    Piece(HeldResource owner, long start, int length, long[] place) {
        this.owner = owner;
        this.start = start;
        this.length = length;
        this.place = place;
    }

    long stop() {
        return start + length;
    }

    long offset() {
        return place[0];
    }

    /** The key of this piece in the index: the resource's id and the piece's start. */
    Object[] indexKey() {
        return new Object[] {owner.id, start};
    }

    /** The index value: length, write sequence, offset in the data file, then the checksums. */
    long[] indexValue(long sequence) {
        long[] v = new long[2 + place.length];
        v[0] = length;
        v[1] = sequence;
        System.arraycopy(place, 0, v, 2, place.length);
        return v;
    }

    /** The number of checksums a piece of {@code length} bytes carries. */
    static int blocks(int length) {
        return (length + DataFile.BLOCK - 1) / DataFile.BLOCK;
    }

    @Override
    public String toString() {
        return "[" + start + ", " + stop() + ") of " + owner.key;
    }
}
