package io.rangestreams.storage.mapdb;

import io.rangestreams.RangeSet;
import io.rangestreams.spi.ResourceVersion;
import java.util.TreeMap;

/** One key's part of the in-memory mirror of the index: its id, version, pieces and ranges. */
final class HeldResource {

    final String key;
    final long id;
    ResourceVersion version;
    final TreeMap<Long, Piece> pieces = new TreeMap<>();
    RangeSet ranges = RangeSet.EMPTY;

    HeldResource(String key, long id, ResourceVersion version) {
        this.key = key;
        this.id = id;
        this.version = version;
    }
}
