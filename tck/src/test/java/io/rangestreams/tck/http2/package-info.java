/** HTTP/2 over TLS against Jetty's HTTP/2 server: negotiation, multiplexing and the protocol reported. */
package io.rangestreams.tck.http2;
