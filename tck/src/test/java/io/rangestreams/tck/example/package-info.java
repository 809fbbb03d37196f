/**
 * How a third party certifies its own backend: a subclass of a contract per backend, nothing more.
 * The same files, outside this reactor, are in {@code src/test/resources/certify-outside}.
 */
package io.rangestreams.tck.example;
