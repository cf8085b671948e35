package dev.proxyline.server.variables;

import static dev.proxyline.server.variables.Sessions.NOW;
import static dev.proxyline.server.variables.Sessions.direct;
import static dev.proxyline.server.variables.Sessions.render;
import static dev.proxyline.server.variables.Sessions.table;
import static dev.proxyline.server.variables.Sessions.through;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.protocol.Bytes;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.SslSubTlv;
import dev.proxyline.protocol.Tlv;
import dev.proxyline.protocol.netty.HeaderPolicy;
import dev.proxyline.protocol.netty.ProxiedConnection;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VariablesTest {

    @Test
    void trustedHeaderReplacesRemoteAddrAndRealipKeepsTheSocketPeer() {
        SessionSnapshot s = through(HeaderPolicy.REQUIRE).snapshot(NOW);
        assertThat(render("$remote_addr $remote_port $realip_remote_addr $realip_remote_port", s))
                .isEqualTo("203.0.113.7 51234 10.0.0.5 40000");
    }

    @Test
    void untrustedHeaderLeavesRemoteAddrAsTheSocketPeerButIsStillShownAsProxyProtocolAddr() {
        SessionSnapshot s = through(HeaderPolicy.IGNORE).snapshot(NOW);
        assertThat(render("$remote_addr $remote_port $realip_remote_addr", s)).isEqualTo("10.0.0.5 40000 10.0.0.5");
        assertThat(render("$proxy_protocol_addr $proxy_protocol_port", s)).isEqualTo("203.0.113.7 51234");
    }

    @Test
    void proxyProtocolServerAddrIsTheHeaderDestinationAndServerAddrTheSocket() {
        SessionSnapshot s = through(HeaderPolicy.REQUIRE).snapshot(NOW);
        assertThat(render("$proxy_protocol_server_addr $proxy_protocol_server_port $server_addr $server_port", s))
                .isEqualTo("198.51.100.1 8443 10.0.0.30 443");
    }

    @Test
    void withoutHeaderProxyProtocolVariablesAreNotFound() {
        SessionSnapshot s = direct().snapshot(NOW);
        StringBuilder out = new StringBuilder();
        assertThat(Builtin.PROXY_PROTOCOL_ADDR.appendTo(s, out)).isFalse();
        assertThat(out).isEmpty();
        assertThat(render("$remote_addr", s)).isEqualTo("10.0.0.5");
    }

    @Test
    void localHeaderHasNoProxyProtocolAddr() {
        ProxiedConnection local = ProxiedConnection.of(Sessions.BALANCER, Sessions.LOCAL, HeaderPolicy.REQUIRE,
                Optional.of(ProxyHeader.local(ProtocolVersion.V2, List.of())));
        SessionSnapshot s = direct().proxied(local).snapshot(NOW);
        assertThat(Builtin.PROXY_PROTOCOL_ADDR.appendTo(s, new StringBuilder())).isFalse();
        assertThat(render("$remote_addr", s)).isEqualTo("10.0.0.5");
    }

    @Test
    void ipv6AddressesArePrintedWithoutBracketsInCanonicalForm() {
        SessionSnapshot s = SessionSnapshot.builder(1, new InetSocketAddress("2001:DB8:0:0:0:0:0:1", 5000),
                new InetSocketAddress("::1", 80)).snapshot(NOW);
        assertThat(render("$remote_addr|$remote_port|$server_addr", s)).isEqualTo("2001:db8::1|5000|::1");
    }

    @Test
    void upstreamAddrAndConnectTimeListEveryAttemptLikeNginx() {
        SessionSnapshot s = direct().upstream(UpstreamAttempt.failed("10.1.0.1:80"))
                .upstream(UpstreamAttempt.connected("10.1.0.2:80", 1234)).snapshot(NOW);
        assertThat(render("$upstream_addr", s)).isEqualTo("10.1.0.1:80, 10.1.0.2:80");
        assertThat(render("$upstream_connect_time", s)).isEqualTo("-, 1.234");
    }

    @Test
    void upstreamTrafficAndTimesArePerAttempt() {
        SessionSnapshot s = direct().upstream(UpstreamAttempt.failed("10.1.0.1:80"))
                .upstream(UpstreamAttempt.connected("10.1.0.2:80", 3).finished(15, 2500, 300, 4000)).snapshot(NOW);
        assertThat(render("$upstream_bytes_sent|$upstream_bytes_received|$upstream_first_byte_time|$upstream_session_time", s))
                .isEqualTo("0, 300|0, 4000|-, 0.015|-, 2.500");
    }

    @Test
    void binaryRemoteAddrIsTheRawAddressOfTheClientAfterRealip() {
        assertThat(render("$binary_remote_addr", through(HeaderPolicy.REQUIRE).snapshot(NOW)))
                .isEqualTo("\u00cb\u0000\u0071\u0007");
    }

    @Test
    void upstreamVariablesAreNotFoundBeforeTheFirstAttempt() {
        SessionSnapshot s = direct().snapshot(NOW);
        assertThat(Builtin.UPSTREAM_ADDR.appendTo(s, new StringBuilder())).isFalse();
        assertThat(Builtin.UPSTREAM_CONNECT_TIME.appendTo(s, new StringBuilder())).isFalse();
    }

    @Test
    void connectTimeBelowOneSecondHasThreeDecimals() {
        SessionSnapshot s = direct().upstream(UpstreamAttempt.connected("a", 7)).snapshot(NOW);
        assertThat(render("$upstream_connect_time", s)).isEqualTo("0.007");
    }

    @Test
    void countersStatusAndSessionTime() {
        SessionSnapshot s = direct().bytesSent(1500).bytesReceived(42).status(200).snapshot(NOW);
        assertThat(render("$bytes_sent $bytes_received $status $session_time $connection $protocol", s))
                .isEqualTo("1500 42 200 1.234 7 TCP");
    }

    @Test
    void statusIsThreeDigitsEvenWhileTheSessionRuns() {
        assertThat(render("$status", direct().snapshot(NOW))).isEqualTo("000");
    }

    @Test
    void sessionTimeNeverGoesNegative() {
        SessionSnapshot s = direct().startMillis(NOW + 5000).snapshot(NOW);
        assertThat(render("$session_time", s)).isEqualTo("0.000");
    }

    @Test
    void timesAreFormattedAsNginxInTheTableZone() {
        SessionSnapshot s = direct().snapshot(NOW);
        assertThat(render("$time_local|$time_iso8601|$msec", s))
                .isEqualTo("26/Nov/2026:01:02:03 +0000|2026-11-26T01:02:03+00:00|1795654923.456");
        VariableTable plusSix = VariableTable.stream(ZoneOffset.ofHours(6), "h", 1);
        assertThat(Template.compile("$time_local $time_iso8601", plusSix).render(s))
                .isEqualTo("26/Nov/2026:07:02:03 +0600 2026-11-26T07:02:03+06:00");
    }

    @Test
    void cachedTimeTextFollowsTheSnapshotSecond() {
        Template t = Template.compile("$time_iso8601", table());
        assertThat(t.render(direct().snapshot(NOW))).isEqualTo("2026-11-26T01:02:03+00:00");
        assertThat(t.render(direct().snapshot(NOW + 1000))).isEqualTo("2026-11-26T01:02:04+00:00");
        assertThat(t.render(direct().snapshot(NOW - 1000))).isEqualTo("2026-11-26T01:02:02+00:00");
    }

    @Test
    void hostnameIsLowerCaseAndPidIsTheConfiguredOne() {
        assertThat(render("$hostname $pid", direct().snapshot(NOW))).isEqualTo("edge-1.example 4242");
    }

    @Test
    void namedTlvsShowTheirRawValues() {
        SessionSnapshot s = through(HeaderPolicy.IGNORE, Tlv.Alpn.of("h2"), Tlv.Authority.of("example.com"),
                new Tlv.UniqueId(Bytes.of("abc", StandardCharsets.US_ASCII)),
                new Tlv.Netns(Bytes.of("blue", StandardCharsets.US_ASCII))).snapshot(NOW);
        assertThat(render("$proxy_protocol_tlv_alpn $proxy_protocol_tlv_authority $proxy_protocol_tlv_unique_id"
                + " $proxy_protocol_tlv_netns", s)).isEqualTo("h2 example.com abc blue");
    }

    @Test
    void hexTlvNameGivesTheRawBytesOfThatType() {
        SessionSnapshot s = through(HeaderPolicy.REQUIRE, Tlv.Alpn.of("h2"),
                new Tlv.Other(0xE5, Bytes.of((byte) 0x00, (byte) 0xFF, (byte) 'a'))).snapshot(NOW);
        assertThat(render("$proxy_protocol_tlv_0x01", s)).isEqualTo("h2");
        assertThat(render("$proxy_protocol_tlv_0xE5", s)).isEqualTo("\u0000\u00ffa");
        assertThat(render("$proxy_protocol_tlv_0xe5", s)).isEqualTo("\u0000\u00ffa");
    }

    @Test
    void missingTlvIsNotFound() {
        SessionSnapshot s = through(HeaderPolicy.REQUIRE).snapshot(NOW);
        Variable alpn = table().require("proxy_protocol_tlv_alpn");
        assertThat(alpn.appendTo(s, new StringBuilder())).isFalse();
    }

    @Test
    void sslSubTlvsByNameAndNumberAndVerifyInDecimal() {
        Tlv.Ssl ssl = new Tlv.Ssl(Tlv.Ssl.CLIENT_SSL, 19, List.of(
                new SslSubTlv(SslSubTlv.VERSION, Bytes.of("TLSv1.3", StandardCharsets.US_ASCII)),
                new SslSubTlv(SslSubTlv.CN, Bytes.of("client.example", StandardCharsets.US_ASCII)),
                new SslSubTlv(SslSubTlv.CIPHER, Bytes.of("TLS_AES_128_GCM_SHA256", StandardCharsets.US_ASCII))));
        SessionSnapshot s = through(HeaderPolicy.REQUIRE, ssl).snapshot(NOW);
        assertThat(render("$proxy_protocol_tlv_ssl_version|$proxy_protocol_tlv_ssl_cn|$proxy_protocol_tlv_ssl_cipher"
                + "|$proxy_protocol_tlv_ssl_0x21|$proxy_protocol_tlv_ssl_verify", s))
                .isEqualTo("TLSv1.3|client.example|TLS_AES_128_GCM_SHA256|TLSv1.3|19");
        assertThat(table().require("proxy_protocol_tlv_ssl_sig_alg").appendTo(s, new StringBuilder())).isFalse();
    }

    @Test
    void cloudVendorTlvsHaveDecodedForms() {
        SessionSnapshot s = through(HeaderPolicy.REQUIRE, Tlv.AwsVpcEndpointId.of("vpce-08d2bf15fac5001c9"),
                new Tlv.AzurePrivateLinkId(3_000_000_000L), new Tlv.GcpPscConnectionId(-1L)).snapshot(NOW);
        assertThat(render("$proxy_protocol_tlv_aws_vpce_id $proxy_protocol_tlv_azure_pel_id"
                + " $proxy_protocol_tlv_gcp_psc_id", s))
                .isEqualTo("vpce-08d2bf15fac5001c9 3000000000 18446744073709551615");
    }

    @Test
    void unknownTlvNamesAreRefusedAtCompileTime() {
        assertThatThrownBy(() -> Template.compile("$proxy_protocol_tlv_colour", table()))
                .hasMessageContaining("$proxy_protocol_tlv_colour").hasMessageContaining("alpn");
        assertThatThrownBy(() -> Template.compile("$proxy_protocol_tlv_0x100", table()))
                .hasMessageContaining("0x100");
        assertThatThrownBy(() -> Template.compile("$proxy_protocol_tlv_ssl_colour", table()))
                .hasMessageContaining("ssl_colour");
    }

    @Test
    void unixSocketPeerIsShownAsUnixWithEmptyPort() {
        SessionSnapshot s = SessionSnapshot.builder(1, new io.netty.channel.unix.DomainSocketAddress("/run/a.sock"),
                Sessions.LOCAL).snapshot(NOW);
        assertThat(render("[$remote_addr][$remote_port]", s)).isEqualTo("[unix:][]");
    }

    @Test
    void theLocalEndOfAUnixListenIsItsSocketFileWithEmptyPort() {
        SessionSnapshot epoll = SessionSnapshot.builder(1, new io.netty.channel.unix.DomainSocketAddress(""),
                new io.netty.channel.unix.DomainSocketAddress("/run/in.sock")).snapshot(NOW);
        SessionSnapshot nio = SessionSnapshot.builder(1, java.net.UnixDomainSocketAddress.of(""),
                java.net.UnixDomainSocketAddress.of("/run/in.sock")).snapshot(NOW);
        for (SessionSnapshot s : java.util.List.of(epoll, nio)) {
            assertThat(render("[$remote_addr][$remote_port][$server_addr][$server_port]", s))
                    .isEqualTo("[unix:][][unix:/run/in.sock][]");
        }
    }
}
