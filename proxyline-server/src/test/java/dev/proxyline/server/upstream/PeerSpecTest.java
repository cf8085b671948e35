package dev.proxyline.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeerSpecTest {

    @Test
    void ipv4LiteralGetsNginxDefaults() {
        PeerSpec spec = PeerSpec.of("10.0.0.1:8080");
        assertThat(spec.server()).isEqualTo("10.0.0.1:8080");
        assertThat(spec.address()).isEqualTo(new InetSocketAddress("10.0.0.1", 8080));
        assertThat(spec.weight()).isEqualTo(1);
        assertThat(spec.maxFails()).isEqualTo(1);
        assertThat(spec.failTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(spec.backup()).isFalse();
        assertThat(spec.down()).isFalse();
    }

    @Test
    void bracketedIpv6LiteralIsAccepted() {
        PeerSpec spec = PeerSpec.of("[2001:db8::1]:443");
        assertThat(((java.net.InetSocketAddress) spec.address()).getPort()).isEqualTo(443);
        assertThat(PeerSpec.format(spec.address())).isEqualTo("[2001:db8::1]:443");
    }

    @Test
    void aUnixDomainSocketIsShownAsNginxShowsItAndAnUnresolvedNameIsRefused() {
        PeerSpec spec = new PeerSpec("unix:/run/app.sock", java.net.UnixDomainSocketAddress.of("/run/app.sock"),
                1, 1, Duration.ofSeconds(10), false, false);
        assertThat(PeerSpec.format(spec.address())).isEqualTo("unix:/run/app.sock");
        assertThatThrownBy(() -> new PeerSpec("app:80", java.net.InetSocketAddress.createUnresolved("app", 80),
                1, 1, Duration.ofSeconds(10), false, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is unresolved");
    }

    @ParameterizedTest
    @ValueSource(strings = {"backend.example.com:80", "10.0.0.1", "10.0.0.1:0", "10.0.0.1:65536",
            "10.0.0.1:080", "2001:db8::1:80", "[2001:db8::1]", "010.0.0.1:80", "10.0.0.1:8a", ""})
    void refusesAnythingButAnAddressLiteralWithPort(String literal) {
        assertThatThrownBy(() -> PeerSpec.of(literal))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid server address");
    }

    @Test
    void parametersAreValidatedWithTheServerNamed() {
        PeerSpec spec = PeerSpec.of("10.0.0.1:80");
        assertThatThrownBy(() -> spec.withWeight(0)).hasMessageContaining("10.0.0.1:80").hasMessageContaining("weight 0");
        assertThatThrownBy(() -> spec.withMaxFails(-1)).hasMessageContaining("max_fails -1");
        assertThatThrownBy(() -> spec.withFailTimeout(Duration.ofSeconds(-1))).hasMessageContaining("fail_timeout");
    }

    @Test
    void unresolvedAddressIsRefused() {
        assertThatThrownBy(() -> PeerSpec.of(InetSocketAddress.createUnresolved("example.com", 80)))
                .hasMessageContaining("unresolved");
    }
}
