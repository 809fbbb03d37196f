/** The client's events, as a listener sees them, over every transport against {@code RangeServer}. */
package io.rangestreams.tck.events;
