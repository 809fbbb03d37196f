/**
 * Helpers for transport implementers, beside the SPI: {@link io.rangestreams.spi.support.Redirects} follows
 * redirects by the rules of T7, {@link io.rangestreams.spi.support.ExchangeSlots} bounds the exchanges in
 * flight for clients that cannot limit connections per host themselves. Nothing here is a contract.
 */
package io.rangestreams.spi.support;
