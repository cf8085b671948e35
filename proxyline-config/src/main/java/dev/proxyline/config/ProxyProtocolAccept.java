package dev.proxyline.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Receiving side of a server (whether a listen expects the header is {@link Listen#proxyProtocol()}):
 * header-read deadline, sources whose header is trusted ({@code set_real_ip_from}) and the policy rules.
 * The default deadline is 5s, deliberately shorter than nginx's 30s: a header arrives in one segment.
 */
public record ProxyProtocolAccept(Duration timeout, List<Cidr> trustedFrom, boolean trustUnix, List<PolicyRule> policy) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public ProxyProtocolAccept {
        Objects.requireNonNull(timeout, "timeout");
        trustedFrom = List.copyOf(trustedFrom);
        policy = List.copyOf(policy);
    }
}
