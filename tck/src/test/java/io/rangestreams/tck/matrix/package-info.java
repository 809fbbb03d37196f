/**
 * The conformance matrix of the bundled backends: the transport contract per transport, the store
 * contract per store and the stream contract per transport x store, all found with ServiceLoader.
 */
package io.rangestreams.tck.matrix;
