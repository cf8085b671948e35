package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.http;
import static dev.proxyline.config.TestConfigs.streamServer;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code allow} and {@code deny}: how they are read, inherited and applied to a client. */
class AccessRulesTest {
    @Test
    void firstMatchingRuleDecidesAndNoMatchLetsIn() throws Exception {
        AccessRules rules = http("""
                server {
                    location / {
                        deny 192.168.1.1;
                        allow 192.168.1.0/24;
                        allow 2001:db8::/32;
                        deny 10.0.0.0/8;
                    }
                }""").servers().get(0).locations().get(0).settings().access();
        assertThat(rules.admits(client("192.168.1.1"))).isFalse();
        assertThat(rules.admits(client("192.168.1.2"))).isTrue();
        assertThat(rules.admits(client("2001:db8::1"))).isTrue();
        assertThat(rules.admits(client("10.1.2.3"))).isFalse();
        assertThat(rules.admits(client("172.16.0.1"))).as("no rule matches").isTrue();
        assertThat(rules.admits(client("2001:db9::1"))).isTrue();
    }

    @Test
    void familiesMeetTheirOwnRulesAndAllMeetsEveryone() throws Exception {
        AccessRules rules = http("""
                server { allow 127.0.0.1; allow unix:; deny all; }""").servers().get(0).settings().access();
        assertThat(rules.admits(client("127.0.0.1"))).isTrue();
        assertThat(rules.admits(client("::ffff:127.0.0.1"))).as("an IPv4-mapped address is IPv4").isTrue();
        assertThat(rules.admits(client("::1"))).isFalse();
        assertThat(rules.admits(client("127.0.0.2"))).isFalse();
        SocketAddress unix = java.net.UnixDomainSocketAddress.of(Path.of("/run/app.sock"));
        assertThat(rules.admits(unix)).isTrue();
        assertThat(http("server { deny unix:; }").servers().get(0).settings().access().admits(unix)).isFalse();
        assertThat(http("server { deny 10.0.0.0/8; }").servers().get(0).settings().access().admits(unix))
                .as("an address rule does not meet a UNIX client").isTrue();
    }

    @Test
    void allowAndDenyAreOneListALevelWithEitherReplacesTheOuterOnes() throws Exception {
        HttpServer server = http("""
                allow 10.0.0.0/8;
                deny all;
                server {
                    location /inherits { }
                    location /own { deny 10.9.9.9; }
                    location /nested {
                        allow 192.0.2.1;
                        location /nested/inner { }
                    }
                }""").servers().get(0);
        assertThat(server.settings().access().admits(client("10.9.9.9"))).isTrue();
        assertThat(server.settings().access().admits(client("192.0.2.1"))).isFalse();
        AccessRules inherits = server.locations().get(0).settings().access();
        assertThat(inherits.rules()).hasSize(2);
        AccessRules own = server.locations().get(1).settings().access();
        assertThat(own.admits(client("10.9.9.9"))).isFalse();
        assertThat(own.admits(client("192.0.2.1"))).as("the outer deny all is not inherited").isTrue();
        AccessRules inner = server.locations().get(2).locations().get(0).settings().access();
        assertThat(inner.rules()).containsExactly(new AccessRules.Rule(true,
                new AccessRules.Block(Cidr.parse("192.0.2.1").orElseThrow())));
        assertThat(http("server { }").servers().get(0).settings().access()).isEqualTo(AccessRules.NONE);
    }

    @Test
    void streamServersHaveThemToo() throws Exception {
        AccessRules rules = streamServer("allow 127.0.0.0/8;", "deny all;").settings().access();
        assertThat(rules.rules()).containsExactly(new AccessRules.Rule(false, new AccessRules.Everyone()));
        assertThat(rules.admits(client("127.0.0.1"))).isFalse();
        assertThat(streamServer("allow 127.0.0.0/8; deny all;", "").settings().access().admits(client("127.0.0.9")))
                .isTrue();
    }

    @Test
    void badClientsNameTheirPlace() {
        assertThat(errors("""
                http {
                    server {
                        allow example.com;
                        deny 10.0.0.0/33;
                        allow $remote_addr;
                        deny;
                    }
                }""")).containsExactly(
                "test.conf:3:15: invalid address \"example.com\" in \"allow\" directive (expected an IP literal or CIDR "
                        + "such as 10.0.0.0/8; names are not resolved)",
                "test.conf:4:14: invalid address \"10.0.0.0/33\" in \"deny\" directive (expected an IP literal or CIDR "
                        + "such as 10.0.0.0/8; names are not resolved)",
                "test.conf:5:15: invalid parameter \"$remote_addr\" in \"allow\" directive (expected an address, a CIDR "
                        + "block, unix: or all; variables are not expanded here)",
                "test.conf:6:9: invalid number of arguments in \"deny\" directive (expected 1, got 0)");
    }

    private static SocketAddress client(String literal) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(literal), 40000);
    }
}
