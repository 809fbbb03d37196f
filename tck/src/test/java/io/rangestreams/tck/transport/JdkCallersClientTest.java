package io.rangestreams.tck.transport;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rangestreams.transport.jdk.JdkRangeTransport;
import java.net.http.HttpClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The JDK client's redirect policy cannot be changed per request, so a caller's client that follows
 * redirects itself (by its own rules, credentials and all) is refused with a clear error.
 */
class JdkCallersClientTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = HttpClient.Redirect.class, names = {"ALWAYS", "NORMAL"})
    void refusesAClientThatFollowsRedirectsItself(HttpClient.Redirect policy) {
        HttpClient client = HttpClient.newBuilder().followRedirects(policy).build();
        assertThatThrownBy(() -> new JdkRangeTransport(client))
                .as("jdk transport over a client with followRedirects(%s)", policy)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(policy.name())
                .hasMessageContaining("followRedirects(HttpClient.Redirect.NEVER)");
    }
}
