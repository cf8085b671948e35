package dev.proxyline.server.tls;

import dev.proxyline.config.ClientVerify;
import dev.proxyline.config.HttpServer;
import dev.proxyline.config.HttpSettings;
import dev.proxyline.config.Listen;
import dev.proxyline.config.Position;
import dev.proxyline.config.Stapling;
import dev.proxyline.config.TlsHandshake;
import dev.proxyline.server.http.routing.VirtualHosts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** From the http servers of a configuration to a {@link ListenTlsPlan} per {@code ssl} socket. Plain Java. */
public final class TlsPlanner {
    /** Oldest first, which is the order the engines list them in. */
    private static final List<String> PROTOCOL_ORDER = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    private final Path configDirectory;

    /** @param configDirectory what relative {@code ssl_certificate} paths are resolved against */
    public TlsPlanner(Path configDirectory) {
        this.configDirectory = Objects.requireNonNull(configDirectory, "configDirectory");
    }

    /**
     * One plan per {@code ssl} socket of {@code servers}, in the order the sockets first appear.
     *
     * @throws IllegalArgumentException for an invalid {@code server_name}, as {@code VirtualHosts} reports it
     */
    public Map<String, ListenTlsPlan> plan(List<HttpServer> servers) {
        Map<String, ListenTlsPlan> out = new LinkedHashMap<>();
        for (HttpServer s : servers) {
            for (Listen l : s.listens()) {
                if (l.ssl() && !out.containsKey(l.bindKey())) out.put(l.bindKey(), plan(l.bindKey(), servers));
            }
        }
        return out;
    }

    /** The plan for the socket {@code bindKey}, from every server listening on it. */
    public ListenTlsPlan plan(String bindKey, List<HttpServer> servers) {
        VirtualHosts hosts = new VirtualHosts(bindKey, servers);
        boolean http2 = false;
        Map<HttpServer, ServerTls> byServer = new IdentityHashMap<>();
        for (HttpServer s : hosts.servers()) {
            byServer.put(s, settings(s.settings().tls()));
            for (Listen l : s.listens()) http2 |= l.bindKey().equals(bindKey) && l.http2();
        }
        return new ListenTlsPlan(hosts, http2, byServer);
    }

    ServerTls settings(HttpSettings.Tls tls) {
        List<CertificateSource> certificates = new ArrayList<>();
        int pairs = Math.min(tls.certificates().size(), tls.certificateKeys().size());
        for (int i = 0; i < pairs; i++) {
            certificates.add(new CertificateSource.Configured(new CertificateFiles(
                    file(tls.certificates().get(i), "ssl_certificate", tls.certificatePositions(), i),
                    file(tls.certificateKeys().get(i), "ssl_certificate_key", tls.keyPositions(), i))));
        }
        if (certificates.isEmpty()) certificates.add(new CertificateSource.Development());
        List<String> protocols = PROTOCOL_ORDER.stream().filter(tls.protocols()::contains).toList();
        return new ServerTls(certificates, protocols, tls.ciphers(), tls.sessions(), clientVerify(tls.clientVerify()),
                handshake(tls.handshake()), stapling(tls.stapling()));
    }

    private Optional<StaplingFiles> stapling(Stapling s) {
        if (!s.on()) return Optional.empty();
        return Optional.of(new StaplingFiles(s.file().map(f -> file(f, "ssl_stapling_file")),
                s.responder().map(Stapling.Responder::url), s.verify(),
                s.trusted().map(f -> file(f, "ssl_trusted_certificate")), s.resolver()));
    }

    private ClientVerifyFiles clientVerify(ClientVerify v) {
        if (v.mode() == ClientVerify.Mode.OFF) return ClientVerifyFiles.OFF;
        return new ClientVerifyFiles(v.mode(), v.clientCertificate().map(f -> file(f, "ssl_client_certificate")),
                v.trustedCertificate().map(f -> file(f, "ssl_trusted_certificate")),
                v.crl().map(f -> file(f, "ssl_crl")), v.depth(), v.ocsp());
    }

    private ServerHandshake handshake(TlsHandshake h) {
        return new ServerHandshake(h, h.dhparam().map(f -> file(f, "ssl_dhparam")),
                h.ticketKeys().stream().map(f -> file(f, "ssl_session_ticket_key")).toList());
    }

    private PemFile file(ClientVerify.File f, String directive) {
        return new PemFile(configDirectory.resolve(f.path()), directive, Optional.of(f.position()));
    }

    private PemFile file(String path, String directive, List<Position> positions, int i) {
        Optional<Position> position = i < positions.size() ? Optional.of(positions.get(i)) : Optional.empty();
        return new PemFile(configDirectory.resolve(path), directive, position);
    }
}
