/** The {@code memory} store: fetched ranges in the heap, optionally bounded with LRU eviction. */
package io.rangestreams.storage.memory;
