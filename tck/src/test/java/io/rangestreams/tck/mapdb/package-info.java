/** End-to-end tests of the MapDB store across runs: a second JVM reads what the first fetched. */
package io.rangestreams.tck.mapdb;
