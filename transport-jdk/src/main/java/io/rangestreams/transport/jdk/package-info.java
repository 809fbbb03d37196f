/** The {@code jdk} transport: {@link java.net.http.HttpClient}, with no dependency beyond the JDK. */
package io.rangestreams.transport.jdk;
