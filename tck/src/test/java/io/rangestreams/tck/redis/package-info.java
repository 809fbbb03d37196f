/**
 * The Redis store shared by processes: several JVMs reading one origin through one {@code redis-server},
 * and reads going on through a Redis outage.
 */
package io.rangestreams.tck.redis;
