/** The TCK tests itself: deliberately broken backends must fail the rules written for their faults. */
package io.rangestreams.tck.selftest;
