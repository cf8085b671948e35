package dev.proxyline.server.runtime;

import dev.proxyline.config.PolicyRule;
import dev.proxyline.config.ProxyProtocolAccept;
import dev.proxyline.protocol.InetLiterals;
import dev.proxyline.protocol.netty.Cidr;
import dev.proxyline.protocol.netty.HeaderPolicy;
import dev.proxyline.protocol.netty.ReceiveSettings;
import dev.proxyline.protocol.netty.TrustPolicy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The receiving side of a {@code listen ... proxy_protocol} listener, from the configuration, with
 * nginx's meaning:
 *
 * <ul>
 *   <li>Every source must send a header: nginx closes a connection to a {@code proxy_protocol}
 *       listener that does not start with one, whoever it comes from.</li>
 *   <li>{@code set_real_ip_from} decides whose header is believed, that is may replace
 *       {@code $remote_addr} and be forwarded as the client: sources it matches get
 *       {@link HeaderPolicy#REQUIRE}, every other source {@link HeaderPolicy#IGNORE} (the header is
 *       read and stripped, and {@code $proxy_protocol_addr} shows it, but the client stays the socket
 *       peer). So an untrusted source can never set the client address, whatever it sends.</li>
 *   <li>{@code proxy_protocol_policy} (proxyline) changes what is required, per source; the first
 *       rule that matches wins, as documented. It cannot make an untrusted source believed:
 *       {@code require} from an untrusted source is still {@code IGNORE}; {@code optional} for
 *       an untrusted source is refused, because a header that may be absent can only be told apart
 *       from client data by believing the source; {@code ignore} and {@code reject} apply as written.</li>
 * </ul>
 *
 * <p>The netty {@link TrustPolicy} matches the longest prefix, while policy rules match in order; the
 * translation computes, for every network the configuration names, the decision that the ordered
 * rules give its addresses. CIDRs nest or are disjoint, so every address in the part of a network not
 * covered by a more specific one is matched by exactly the rules whose network contains that network.
 *
 * <p>Clients of a {@code listen unix:} socket have no address: {@code set_real_ip_from unix:} trusts them, and of the
 * policy rules only one without {@code from} applies to them.
 */
public final class TrustPolicies {
    private TrustPolicies() {
    }

    /**
     * The receive settings of a server: its trust policy and {@code proxy_protocol_timeout}.
     *
     * @throws IllegalArgumentException for an {@code optional} policy over untrusted sources
     */
    public static ReceiveSettings receiveSettings(ProxyProtocolAccept accept) {
        return ReceiveSettings.of(trustPolicy(accept)).withDeadline(accept.timeout());
    }

    /**
     * The trust policy of a server, as the class comment describes.
     *
     * @throws IllegalArgumentException for an {@code optional} policy over untrusted sources, naming them
     */
    public static TrustPolicy trustPolicy(ProxyProtocolAccept accept) {
        Objects.requireNonNull(accept, "accept");
        List<Cidr> trusted = convert(accept.trustedFrom());
        List<List<Cidr>> ruleNetworks = new ArrayList<>();
        for (PolicyRule rule : accept.policy()) {
            ruleNetworks.add(convert(rule.from()));
        }
        Set<Cidr> networks = new LinkedHashSet<>(trusted);
        ruleNetworks.forEach(networks::addAll);

        TrustPolicy.Builder builder = TrustPolicy.builder();
        for (Cidr network : networks) {
            PolicyRule.Mode mode = PolicyRule.Mode.REQUIRE;
            for (int i = 0; i < accept.policy().size(); i++) {
                if (matches(ruleNetworks.get(i), network)) {
                    mode = accept.policy().get(i).mode();
                    break;
                }
            }
            boolean isTrusted = trusted.stream().anyMatch(t -> covers(t, network));
            builder.rule(network, decide(mode, isTrusted, network.toString()));
        }
        PolicyRule.Mode otherwise = PolicyRule.Mode.REQUIRE;
        for (PolicyRule rule : accept.policy()) {
            if (rule.from().isEmpty()) {
                otherwise = rule.mode();
                break;
            }
        }
        // No CIDR matches the remaining sources, so none of them is trusted.
        builder.otherwise(decide(otherwise, false, "sources outside set_real_ip_from"));
        builder.unixSockets(decide(otherwise, accept.trustUnix(), "clients of unix sockets"));
        return builder.build();
    }

    private static HeaderPolicy decide(PolicyRule.Mode mode, boolean trusted, String who) {
        return switch (mode) {
            case REQUIRE -> trusted ? HeaderPolicy.REQUIRE : HeaderPolicy.IGNORE;
            case IGNORE -> HeaderPolicy.IGNORE;
            case REJECT -> HeaderPolicy.REJECT;
            case OPTIONAL -> {
                if (!trusted) {
                    throw new IllegalArgumentException("\"proxy_protocol_policy optional\" applies to " + who
                            + ", which set_real_ip_from does not trust: an optional header can only be told apart from"
                            + " client data for a trusted source (add the source to set_real_ip_from, or use require or ignore)");
                }
                yield HeaderPolicy.OPTIONAL;
            }
        };
    }

    /** A rule without {@code from} matches everything; otherwise one of its networks must contain {@code network}. */
    private static boolean matches(List<Cidr> from, Cidr network) {
        return from.isEmpty() || from.stream().anyMatch(f -> covers(f, network));
    }

    /** True when every address of {@code inner} is in {@code outer}. */
    static boolean covers(Cidr outer, Cidr inner) {
        return outer.isIpv4() == inner.isIpv4() && outer.prefixLength() <= inner.prefixLength()
                && outer.contains(inner.network());
    }

    private static List<Cidr> convert(List<dev.proxyline.config.Cidr> cidrs) {
        List<Cidr> out = new ArrayList<>(cidrs.size());
        for (dev.proxyline.config.Cidr c : cidrs) {
            // Through the text, so that an IPv4-mapped network is matched as the IPv4 one it denotes.
            out.add(Cidr.parse(InetLiterals.format(c.network()) + "/" + c.prefixLength()));
        }
        return out;
    }
}
