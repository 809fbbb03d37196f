/**
 * Micrometer meters for a {@link io.rangestreams.RangeClient}: {@link
 * io.rangestreams.metrics.micrometer.MicrometerRangeEventListener} counts and times what the client's
 * streams do, in any {@link io.micrometer.core.instrument.MeterRegistry}.
 */
package io.rangestreams.metrics.micrometer;
