package dev.proxyline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The name check of {@code proxy_ssl_verify}, as OpenSSL's {@code X509_check_host} that nginx calls. */
class HostnameCheckTest {
    private static X509Certificate certificate(String commonName, List<String> dns, List<InetAddress> addresses) {
        return SelfSigned.generate(SelfSigned.KeyType.EC, commonName, dns, addresses, Instant.now(),
                Duration.ofDays(1)).leaf();
    }

    @Test
    void aDnsNameMatchesExactlyWithoutRegardToCase() {
        X509Certificate c = certificate("cn.test", List.of("app.example.com", "api.example.com"), List.of());
        assertThat(HostnameCheck.matches(c, "app.example.com")).isTrue();
        assertThat(HostnameCheck.matches(c, "API.Example.COM")).isTrue();
        assertThat(HostnameCheck.matches(c, "app.example.com.")).isTrue();
        assertThat(HostnameCheck.matches(c, "www.example.com")).isFalse();
        assertThat(HostnameCheck.matches(c, "cn.test")).as("the CN does not count beside DNS names").isFalse();
    }

    @Test
    void aWildcardStandsForOneWholeLeftmostLabel() {
        X509Certificate c = certificate("cn.test", List.of("*.example.com"), List.of());
        assertThat(HostnameCheck.matches(c, "app.example.com")).isTrue();
        assertThat(HostnameCheck.matches(c, "a.b.example.com")).isFalse();
        assertThat(HostnameCheck.matches(c, "example.com")).isFalse();
    }

    @Test
    void theCommonNameCountsOnlyWithoutDnsNames() {
        assertThat(HostnameCheck.matches(certificate("backend.test", List.of(), List.of()), "backend.test")).isTrue();
    }

    @Test
    void anAddressIsComparedAsTextNotWithAddressNames() throws Exception {
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        assertThat(HostnameCheck.matches(certificate("localhost", List.of("localhost"), List.of(loopback)),
                "127.0.0.1")).isFalse();
        assertThat(HostnameCheck.matches(certificate("127.0.0.1", List.of(), List.of()), "127.0.0.1")).isTrue();
    }
}
