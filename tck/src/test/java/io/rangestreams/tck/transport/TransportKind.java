package io.rangestreams.tck.transport;

import io.rangestreams.spi.RangeTransport;
import io.rangestreams.spi.RangeTransportProvider;
import io.rangestreams.spi.TransportOptions;
import io.rangestreams.tck.RangeServer;
import io.rangestreams.transport.apache.ApacheRangeTransport;
import io.rangestreams.transport.jdk.JdkRangeTransport;
import io.rangestreams.transport.okhttp.OkHttpRangeTransport;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import okhttp3.OkHttpClient;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.Timeout;

/**
 * The bundled transports, made the two ways a user makes them: by name through their registered provider,
 * and over the caller's own client.
 */
enum TransportKind {
    JDK("jdk") {
        @Override
        RangeTransport overCallersClient(RangeServer server, TransportOptions options) {
            // The caller's settings: its TLS context (trusting the test certificate) and connect timeout.
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(server.clientSslContext())
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            return new JdkRangeTransport(client, options);
        }
    },
    OKHTTP("okhttp") {
        @Override
        RangeTransport overCallersClient(RangeServer server, TransportOptions options) {
            // OkHttp's defaults follow redirects and ask for gzip: the transport must undo both.
            OkHttpClient client = new OkHttpClient.Builder()
                    .sslSocketFactory(server.clientSslContext().getSocketFactory(), server.clientTrustManager())
                    .addInterceptor(chain -> chain.proceed(
                            chain.request().newBuilder().header(CALLER_HEADER, "okhttp").build()))
                    .build();
            return new OkHttpRangeTransport(client, options);
        }

        @Override
        Optional<String> callerHeader() {
            return Optional.of("okhttp");
        }
    },
    APACHE("apache") {
        @Override
        RangeTransport overCallersClient(RangeServer server, TransportOptions options) {
            // HttpClient's defaults follow redirects and decompress: the transport must undo both.
            var client = HttpClients.custom()
                    .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                            .setTlsSocketStrategy(new DefaultClientTlsStrategy(server.clientSslContext()))
                            .setDefaultConnectionConfig(ConnectionConfig.custom()
                                    .setSocketTimeout(Timeout.of(options.readTimeout()))
                                    .build())
                            .build())
                    .setDefaultHeaders(List.of(new BasicHeader(CALLER_HEADER, "apache")))
                    .build();
            return new ApacheRangeTransport(client, RequestConfig.DEFAULT, options);
        }

        @Override
        Optional<String> callerHeader() {
            return Optional.of("apache");
        }
    };

    /** A header the caller's own client adds by its own settings, where the client has such a setting. */
    static final String CALLER_HEADER = "X-Caller-Client";

    private final String providerName;

    TransportKind(String providerName) {
        this.providerName = providerName;
    }

    /** The provider's name. */
    String providerName() {
        return providerName;
    }

    /** A transport made by the registered provider of this name. */
    RangeTransport create(TransportOptions options) {
        for (RangeTransportProvider p : ServiceLoader.load(RangeTransportProvider.class)) {
            if (p.name().equals(providerName)) {
                return p.create(options);
            }
        }
        throw new IllegalStateException("no transport provider named " + providerName + " is registered");
    }

    /** Test options: short timeouts so a failure shows quickly. */
    static TransportOptions options() {
        return TransportOptions.defaults().withConnectTimeout(Duration.ofSeconds(30)).withReadTimeout(Duration.ofSeconds(60));
    }

    /**
     * A transport over a client the caller configured (trusting the server's https certificate), with the
     * options' headers and redirect limit.
     */
    abstract RangeTransport overCallersClient(RangeServer server, TransportOptions options);

    /** The value of {@link #CALLER_HEADER} the caller's client sends, if it can send one. */
    Optional<String> callerHeader() {
        return Optional.empty();
    }
}
