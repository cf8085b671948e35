package dev.proxyline.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads the PROXY-protocol directives of one scope: the sending side and the receiving (trust) side. */
final class ProxyProtocolReader {
    private final ArgReader r;

    ProxyProtocolReader(ArgReader r) {
        this.r = r;
    }

    ProxyProtocolSend send(Scope s, boolean allowTlvs) {
        boolean enabled = s.get("proxy_protocol").flatMap(d -> r.flag(d, d.arg(0))).orElse(false);
        Optional<Directive> versionDirective = s.get("proxy_protocol_version");
        int version = 1;
        if (versionDirective.isPresent()) {
            Directive d = versionDirective.get();
            String v = d.arg(0).value();
            if (v.equals("1") || v.equals("2")) {
                version = Integer.parseInt(v);
            } else {
                r.error(d.arg(0), "invalid value \"" + v + "\" in \"proxy_protocol_version\" directive, it must be 1 or 2");
            }
        }
        List<Tlv> tlvs = new ArrayList<>();
        boolean crc32c = false;
        if (allowTlvs) {
            TlvParser parser = new TlvParser(r);
            Map<Integer, Directive> seen = new HashMap<>();
            for (Directive d : s.all("proxy_protocol_tlv")) {
                Optional<Tlv> tlv = parser.parse(d);
                if (tlv.isEmpty()) continue;
                Directive first = seen.putIfAbsent(tlv.get().type(), d);
                if (first != null) {
                    r.error(d.arg(0), String.format("duplicate TLV type 0x%02X (first at line %d)", tlv.get().type(),
                            first.position().line()));
                    continue;
                }
                if (version != 2) {
                    r.error(d, "\"proxy_protocol_tlv\" needs \"proxy_protocol_version 2\" (version 1 headers carry no TLVs)");
                    continue;
                }
                tlvs.add(tlv.get());
            }
            Optional<Directive> crc = s.get("proxy_protocol_crc32c");
            crc32c = crc.flatMap(d -> r.flag(d, d.arg(0))).orElse(false);
            if (crc32c && version != 2) {
                r.error(crc.get(), "\"proxy_protocol_crc32c on\" needs \"proxy_protocol_version 2\" (version 1 has no checksum)");
                crc32c = false;
            }
        }
        return new ProxyProtocolSend(enabled, version, tlvs, crc32c);
    }

    ProxyProtocolAccept accept(Scope s) {
        Duration timeout = s.get("proxy_protocol_timeout").flatMap(d -> r.duration(d, d.arg(0)))
                .orElse(ProxyProtocolAccept.DEFAULT_TIMEOUT);
        TrustedSources trusted = trustedSources(s.all("set_real_ip_from"));
        List<PolicyRule> rules = new ArrayList<>();
        for (Directive d : s.all("proxy_protocol_policy")) policy(d).ifPresent(rules::add);
        return new ProxyProtocolAccept(timeout, trusted.cidrs(), trusted.unix(), rules);
    }

    record TrustedSources(List<Cidr> cidrs, boolean unix) {}

    TrustedSources trustedSources(List<Directive> directives) {
        List<Cidr> cidrs = new ArrayList<>();
        boolean unix = false;
        for (Directive d : directives) {
            if (d.arg(0).value().equals("unix:")) {
                unix = true;
            } else {
                r.cidr(d, d.arg(0)).ifPresent(cidrs::add);
            }
        }
        return new TrustedSources(cidrs, unix);
    }

    private Optional<PolicyRule> policy(Directive d) {
        PolicyRule.Mode mode;
        try {
            mode = PolicyRule.Mode.valueOf(d.arg(0).value().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            r.error(d.arg(0), "invalid value \"" + d.arg(0).value()
                    + "\" in \"proxy_protocol_policy\" directive (expected require, optional, ignore or reject)");
            return Optional.empty();
        }
        List<Cidr> from = new ArrayList<>();
        if (d.args().size() > 1) {
            if (!d.arg(1).value().equals("from")) {
                r.error(d.arg(1), "expected \"from\" after the policy mode in \"proxy_protocol_policy\", got \"" + d.arg(1).value() + "\"");
                return Optional.empty();
            }
            if (d.args().size() == 2) {
                r.error(d.arg(1), "\"from\" needs at least one CIDR in \"proxy_protocol_policy\"");
                return Optional.empty();
            }
            boolean ok = true;
            for (Argument a : d.args().subList(2, d.args().size())) {
                Optional<Cidr> c = r.cidr(d, a);
                ok &= c.isPresent();
                c.ifPresent(from::add);
            }
            if (!ok) return Optional.empty();
        }
        return Optional.of(new PolicyRule(mode, from));
    }
}
