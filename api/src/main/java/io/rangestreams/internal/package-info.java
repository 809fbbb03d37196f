/**
 * The engine: how reads become requests (the planner), how responses are checked and stored (the
 * stream), and how backends are selected. Not an API: names here may change in any release.
 */
package io.rangestreams.internal;
