/**
 * The {@code mapdb} store: fetched ranges persisted in a MapDB file (the index) and a data file beside
 * it (the bytes), so a later run reads them without the network. Crash-safe (group commits: the bytes
 * are synced before the MapDB transaction that names them), checksummed (a damaged piece is dropped
 * and fetched again), and optionally bounded with least-recently-used eviction. Select it with the
 * spec {@code mapdb:/path/to/cache.db?maxBytes=10g&lockWait=10s}.
 */
package io.rangestreams.storage.mapdb;
