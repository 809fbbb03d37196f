/**
 * The {@code mapdb} store: fetched ranges persisted in one MapDB file, so a later run reads them
 * without the network. Crash-safe (every change is one MapDB transaction) and optionally bounded with
 * least-recently-used eviction. Select it with the spec {@code mapdb:/path/to/cache.db?maxBytes=10g}.
 */
package io.rangestreams.storage.mapdb;
