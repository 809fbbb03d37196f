/** JMH benchmarks of the stores: reading and writing 1 MiB ranges, against a plain local file. */
package io.rangestreams.bench.store;
