package dev.proxyline.config;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@link StreamSettings} from a scope; invalid values are reported and replaced by defaults. */
final class StreamSettingsReader {
    private final ArgReader r;
    private final ProxyProtocolReader pp;
    private final AccessLogReader logs;
    private final AccessRulesReader access;
    private final LimitReader limits;
    private final TlsSettingsReader tls;
    private final ProxySslReader proxySsl;

    StreamSettingsReader(ArgReader r, Map<String, LogFormat> formats) {
        this.r = r;
        this.pp = new ProxyProtocolReader(r);
        this.logs = new AccessLogReader(r, formats, false);
        this.access = new AccessRulesReader(r);
        this.limits = new LimitReader(r);
        this.tls = new TlsSettingsReader(r);
        this.proxySsl = new ProxySslReader(r);
    }

    StreamSettings read(Scope s) {
        return new StreamSettings(
                duration(s, "proxy_connect_timeout", StreamSettings.DEFAULT_CONNECT_TIMEOUT),
                duration(s, "proxy_timeout", StreamSettings.DEFAULT_TIMEOUT),
                s.get("proxy_next_upstream").flatMap(d -> r.flag(d, d.arg(0))).orElse(true),
                s.get("proxy_next_upstream_tries").map(d -> r.intInRange(d, d.arg(0), 0, 1_000_000).orElse(0)).orElse(0),
                duration(s, "proxy_next_upstream_timeout", Duration.ZERO),
                s.get("proxy_bind").flatMap(this::bind),
                s.get("proxy_buffer_size").map(d -> {
                    long v = r.size(d, d.arg(0)).orElse(StreamSettings.DEFAULT_BUFFER_SIZE);
                    if (v < 1 || v > Integer.MAX_VALUE) {
                        r.error(d.arg(0), "\"proxy_buffer_size\" must be between 1 and 2g");
                        return StreamSettings.DEFAULT_BUFFER_SIZE;
                    }
                    return v;
                }).orElse(StreamSettings.DEFAULT_BUFFER_SIZE),
                pp.send(s, true),
                pp.accept(s),
                logs.read(s.all("access_log")),
                s.get("proxy_splice").flatMap(d -> r.flag(d, d.arg(0))).orElse(true),
                s.get("proxy_half_close").flatMap(d -> r.flag(d, d.arg(0))).orElse(false),
                s.get("proxy_socket_keepalive").flatMap(d -> r.flag(d, d.arg(0))).orElse(false),
                access.read(s),
                limits.limitConns(s),
                limits.limitConn(s),
                preread(s),
                tls.read(s),
                duration(s, "ssl_handshake_timeout", StreamSettings.DEFAULT_SSL_HANDSHAKE_TIMEOUT),
                proxySsl(s),
                alpn(s));
    }

    /** {@code ssl_alpn}: each protocol as written, at most 255 bytes as TLS carries them (nginx's check). */
    private List<String> alpn(Scope s) {
        Optional<Directive> d = s.get("ssl_alpn");
        if (d.isEmpty()) return List.of();
        List<String> protocols = new ArrayList<>();
        for (int i = 0; i < d.get().args().size(); i++) {
            String protocol = d.get().arg(i).value();
            if (protocol.isEmpty() || protocol.getBytes(StandardCharsets.UTF_8).length > 255) {
                r.error(d.get().arg(i), "\"ssl_alpn\" protocol must be 1 to 255 bytes long");
            } else {
                protocols.add(protocol);
            }
        }
        return protocols;
    }

    /** {@code proxy_ssl on} with its settings; the settings are read (and checked) also when it is off. */
    private Optional<ProxySsl> proxySsl(Scope s) {
        ProxySsl settings = proxySsl.read(s);
        boolean on = s.get("proxy_ssl").flatMap(d -> r.flag(d, d.arg(0))).orElse(false);
        return on ? Optional.of(settings) : Optional.empty();
    }

    /**
     * nginx's checks of {@code proxy_ssl on} ({@code proxy_ssl_verify} needs trusted certificates, a client certificate
     * its key), at the {@code proxy_pass} they serve; a name for SNI or verification must be written when
     * {@code proxy_pass} has variables.
     */
    void checkProxySsl(ProxySsl ssl, Directive proxyPass) {
        proxySsl.check(ssl, proxyPass);
        if (proxyPass.arg(0).hasVariables() && ssl.name().isEmpty() && (ssl.serverName() || ssl.verify())) {
            r.error(proxyPass, "\"proxy_ssl_server_name\" and \"proxy_ssl_verify\" with a \"proxy_pass\" with variables "
                    + "need \"proxy_ssl_name\" (proxyline does not take the name from the expanded value)");
        }
    }

    private SslPreread preread(Scope s) {
        long size = s.get("preread_buffer_size").map(d -> {
            long v = r.size(d, d.arg(0)).orElse((long) SslPreread.DEFAULT_BUFFER_SIZE);
            if (v < 1 || v > Integer.MAX_VALUE) {
                r.error(d.arg(0), "\"preread_buffer_size\" must be between 1 and 2g");
                return (long) SslPreread.DEFAULT_BUFFER_SIZE;
            }
            return v;
        }).orElse((long) SslPreread.DEFAULT_BUFFER_SIZE);
        return new SslPreread(s.get("ssl_preread").flatMap(d -> r.flag(d, d.arg(0))).orElse(false), (int) size,
                duration(s, "preread_timeout", SslPreread.DEFAULT_TIMEOUT));
    }

    private Duration duration(Scope s, String name, Duration fallback) {
        return s.get(name).flatMap(d -> r.duration(d, d.arg(0))).orElse(fallback);
    }

    /** {@code proxy_bind ADDR | off}; the address must be a literal because nothing is resolved here. */
    private Optional<InetAddress> bind(Directive d) {
        Argument a = d.arg(0);
        if (d.args().size() == 2) {
            if (d.arg(1).value().equals("transparent")) {
                r.error(d.arg(1), "unsupported \"proxy_bind\" parameter \"transparent\" (nginx has it, proxyline does not)");
            } else {
                r.error(d.arg(1), "invalid parameter \"" + d.arg(1).value() + "\" in \"proxy_bind\" directive");
            }
            return Optional.empty();
        }
        if (a.value().equals("off")) return Optional.empty();
        if (a.hasVariables()) {
            r.error(a, "variables in \"proxy_bind\" are not supported (use an IP literal or off)");
            return Optional.empty();
        }
        Optional<InetAddress> ip = InetLiteral.parse(a.value());
        if (ip.isEmpty()) r.error(a, "invalid address \"" + a.value() + "\" in \"proxy_bind\" directive (expected an IP literal or off)");
        return ip;
    }
}
