/**
 * The {@code redis} store: fetched ranges in Redis (standalone or Cluster), shared by every process
 * and machine pointed at it, with versions checked and pieces evicted atomically by Lua scripts.
 * Select it with the spec {@code redis:redis://HOST:PORT/0?maxBytes=1g}.
 */
package io.rangestreams.storage.redis;
