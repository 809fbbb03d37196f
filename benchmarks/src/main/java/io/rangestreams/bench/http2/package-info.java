/** HTTP/2 on one connection against HTTP/1.1 on many, over TLS, against Jetty with added latency. */
package io.rangestreams.bench.http2;
