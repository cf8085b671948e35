package dev.proxyline.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.config.Cidr;
import dev.proxyline.config.PolicyRule;
import dev.proxyline.config.ProxyProtocolAccept;
import dev.proxyline.protocol.InetLiterals;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.netty.HeaderPolicy;
import dev.proxyline.protocol.netty.ProxiedConnection;
import dev.proxyline.protocol.netty.ReceiveSettings;
import dev.proxyline.protocol.netty.TrustPolicy;
import dev.proxyline.server.variables.SessionSnapshot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrustPoliciesTest {
    private static final InetSocketAddress FORGED_CLIENT = new InetSocketAddress("203.0.113.66", 1111);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("10.0.0.30", 443);

    static List<Cidr> cidrs(String... texts) {
        return Arrays.stream(texts).map(t -> Cidr.parse(t).orElseThrow()).toList();
    }

    static PolicyRule rule(PolicyRule.Mode mode, String... from) {
        return new PolicyRule(mode, cidrs(from));
    }

    static ProxyProtocolAccept accept(List<Cidr> trusted, PolicyRule... rules) {
        return new ProxyProtocolAccept(ProxyProtocolAccept.DEFAULT_TIMEOUT, trusted, false, List.of(rules));
    }

    static HeaderPolicy policy(TrustPolicy trust, String source) {
        return trust.policyFor(InetLiterals.parseOrThrow(source, "source"));
    }

    @Test
    void everySourceMustSendAHeaderButOnlySetRealIpFromIsBelieved() {
        TrustPolicy trust = TrustPolicies.trustPolicy(accept(cidrs("10.0.0.0/8")));
        assertThat(policy(trust, "10.1.2.3")).isEqualTo(HeaderPolicy.REQUIRE);
        assertThat(policy(trust, "192.0.2.1")).isEqualTo(HeaderPolicy.IGNORE);
        assertThat(policy(trust, "2001:db8::1")).isEqualTo(HeaderPolicy.IGNORE);
    }

    @Test
    void setRealIpFromUnixBelievesClientsOfUnixSocketsAndNoOneElse() {
        TrustPolicy trust = TrustPolicies.trustPolicy(new ProxyProtocolAccept(ProxyProtocolAccept.DEFAULT_TIMEOUT,
                List.of(), true, List.of()));
        assertThat(trust.policyFor(null)).isEqualTo(HeaderPolicy.REQUIRE);
        assertThat(trust.unixSockets()).isEqualTo(HeaderPolicy.REQUIRE);
        assertThat(policy(trust, "10.1.2.3")).isEqualTo(HeaderPolicy.IGNORE);
    }

    @Test
    void unixSocketsFollowOnlyAPolicyRuleWithoutFrom() {
        TrustPolicy trust = TrustPolicies.trustPolicy(new ProxyProtocolAccept(ProxyProtocolAccept.DEFAULT_TIMEOUT,
                cidrs("10.0.0.0/8"), true, List.of(rule(PolicyRule.Mode.REJECT, "10.0.0.0/8"),
                        rule(PolicyRule.Mode.IGNORE))));
        assertThat(policy(trust, "10.1.2.3")).isEqualTo(HeaderPolicy.REJECT);
        assertThat(trust.policyFor(null)).isEqualTo(HeaderPolicy.IGNORE);
        assertThat(TrustPolicies.trustPolicy(accept(cidrs("10.0.0.0/8"))).policyFor(null))
                .as("not trusted without set_real_ip_from unix:").isEqualTo(HeaderPolicy.IGNORE);
    }

    @Test
    void withoutSetRealIpFromNoHeaderIsBelievedButAllAreRequired() {
        TrustPolicy trust = TrustPolicies.trustPolicy(accept(List.of()));
        assertThat(trust.rules()).isEmpty();
        assertThat(trust.otherwise()).isEqualTo(HeaderPolicy.IGNORE);
    }

    @Test
    void untrustedSourceCannotSetTheClientAddressWhateverItSends() {
        TrustPolicy trust = TrustPolicies.trustPolicy(accept(cidrs("10.0.0.0/8"), rule(PolicyRule.Mode.REQUIRE)));
        InetSocketAddress attacker = new InetSocketAddress("192.0.2.9", 5555);
        ProxyHeader forged = ProxyHeader.tcp(ProtocolVersion.V1, FORGED_CLIENT, LOCAL);
        ProxiedConnection connection = ProxiedConnection.of(attacker, LOCAL, trust.policyFor(attacker.getAddress()),
                Optional.of(forged));
        assertThat(connection.client()).isEqualTo(attacker);
        SessionSnapshot session = SessionSnapshot.builder(1, attacker, LOCAL).proxied(connection).snapshot(0);
        assertThat(session.remote()).isEqualTo(attacker);
    }

    @Test
    void trustedSourceSetsTheClientAddress() {
        TrustPolicy trust = TrustPolicies.trustPolicy(accept(cidrs("10.0.0.0/8")));
        InetSocketAddress balancer = new InetSocketAddress("10.0.0.5", 5555);
        ProxiedConnection connection = ProxiedConnection.of(balancer, LOCAL, trust.policyFor(balancer.getAddress()),
                Optional.of(ProxyHeader.tcp(ProtocolVersion.V1, FORGED_CLIENT, LOCAL)));
        assertThat(connection.client()).isEqualTo(FORGED_CLIENT);
    }

    @Test
    void policyRulesMatchInOrderEvenWhenALaterRuleIsMoreSpecific() {
        TrustPolicy trust = TrustPolicies.trustPolicy(accept(cidrs("10.0.0.0/8"),
                rule(PolicyRule.Mode.REQUIRE, "10.0.0.0/8"), rule(PolicyRule.Mode.REJECT, "10.1.0.0/16")));
        assertThat(policy(trust, "10.1.2.3")).isEqualTo(HeaderPolicy.REQUIRE);
        assertThat(policy(trust, "10.2.0.1")).isEqualTo(HeaderPolicy.REQUIRE);
    }

    @Test
    void moreSpecificRuleFirstCarvesAnExceptionOut() {
        TrustPolicy trust = TrustPolicies.trustPolicy(accept(cidrs("10.0.0.0/8"),
                rule(PolicyRule.Mode.IGNORE, "10.1.0.0/16"), rule(PolicyRule.Mode.REQUIRE, "10.0.0.0/8"),
                rule(PolicyRule.Mode.REJECT)));
        assertThat(policy(trust, "10.1.2.3")).isEqualTo(HeaderPolicy.IGNORE);
        assertThat(policy(trust, "10.2.0.1")).isEqualTo(HeaderPolicy.REQUIRE);
        assertThat(policy(trust, "192.0.2.1")).isEqualTo(HeaderPolicy.REJECT);
    }

    @Test
    void documentedExampleRequiresFromTheBalancersAndRejectsEveryoneElse() {
        TrustPolicy trust = TrustPolicies.trustPolicy(accept(cidrs("192.0.2.0/24"),
                rule(PolicyRule.Mode.REQUIRE, "192.0.2.0/24"), rule(PolicyRule.Mode.REJECT)));
        assertThat(policy(trust, "192.0.2.10")).isEqualTo(HeaderPolicy.REQUIRE);
        assertThat(policy(trust, "198.51.100.1")).isEqualTo(HeaderPolicy.REJECT);
    }

    @Test
    void requireFromAnUntrustedNetworkStillDoesNotBelieveIt() {
        TrustPolicy trust = TrustPolicies.trustPolicy(accept(List.of(), rule(PolicyRule.Mode.REQUIRE, "10.0.0.0/8")));
        assertThat(policy(trust, "10.1.1.1")).isEqualTo(HeaderPolicy.IGNORE);
    }

    @Test
    void trustedNetworkInsideAnIgnoredOneIsStillIgnored() {
        TrustPolicy trust = TrustPolicies.trustPolicy(accept(cidrs("10.1.0.0/16"), rule(PolicyRule.Mode.IGNORE, "10.0.0.0/8")));
        assertThat(policy(trust, "10.1.1.1")).isEqualTo(HeaderPolicy.IGNORE);
    }

    @Test
    void optionalForTrustedSourcesIsAllowed() {
        TrustPolicy trust = TrustPolicies.trustPolicy(accept(cidrs("10.0.0.0/8"),
                rule(PolicyRule.Mode.OPTIONAL, "10.0.0.0/8")));
        assertThat(policy(trust, "10.1.1.1")).isEqualTo(HeaderPolicy.OPTIONAL);
        assertThat(policy(trust, "192.0.2.1")).isEqualTo(HeaderPolicy.IGNORE);
    }

    @Test
    void optionalForUntrustedSourcesIsRefused() {
        assertThatThrownBy(() -> TrustPolicies.trustPolicy(accept(cidrs("10.0.0.0/8"), rule(PolicyRule.Mode.OPTIONAL))))
                .hasMessageContaining("optional").hasMessageContaining("set_real_ip_from");
        assertThatThrownBy(() -> TrustPolicies.trustPolicy(accept(List.of(), rule(PolicyRule.Mode.OPTIONAL, "10.0.0.0/8"))))
                .hasMessageContaining("10.0.0.0/8");
    }

    @Test
    void ipv6NetworksAreTrustedLikeIpv4Ones() {
        TrustPolicy trust = TrustPolicies.trustPolicy(accept(cidrs("2001:db8::/32")));
        assertThat(policy(trust, "2001:db8:1::5")).isEqualTo(HeaderPolicy.REQUIRE);
        assertThat(policy(trust, "2001:db9::5")).isEqualTo(HeaderPolicy.IGNORE);
        assertThat(policy(trust, "::ffff:10.0.0.1")).isEqualTo(HeaderPolicy.IGNORE);
    }

    @Test
    void sameNetworkInTrustAndRulesIsOneRule() {
        TrustPolicy trust = TrustPolicies.trustPolicy(accept(cidrs("10.0.0.0/8", "10.0.0.0/8"),
                rule(PolicyRule.Mode.REQUIRE, "10.0.0.0/8")));
        assertThat(trust.rules()).hasSize(1);
    }

    @Test
    void receiveSettingsTakeTheProxyProtocolTimeout() {
        ReceiveSettings settings = TrustPolicies.receiveSettings(new ProxyProtocolAccept(Duration.ofSeconds(3),
                cidrs("10.0.0.0/8"), false, List.of()));
        assertThat(settings.deadline()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.trust().policyFor(InetAddress.getLoopbackAddress())).isEqualTo(HeaderPolicy.IGNORE);
    }
}
