/** Servers that lie: each case ends in a clear exception or correct bytes, over every transport. */
package io.rangestreams.tck.hostile;
