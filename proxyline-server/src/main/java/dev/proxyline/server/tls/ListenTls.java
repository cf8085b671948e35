package dev.proxyline.server.tls;

import dev.proxyline.server.runtime.HostResolver;
import dev.proxyline.server.runtime.dns.ResolverClients;
import io.netty.channel.Channel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.Mapping;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLEngine;

/**
 * The engine contexts of one {@code ssl} socket, as the SNI handler's mapping: the SNI name (or none) to
 * the context of the server that name selects.
 */
public final class ListenTls implements Mapping<String, SslContext> {
    private final ListenTlsPlan plan;
    private final Map<ServerTls, SslContext> contexts;
    private final Map<ServerTls, ClientVerifier> verifiers;
    private final ServerContexts engines;
    /** Whether any server refuses handshakes: the others pay no lookup per handshake. */
    private final boolean rejecting;
    /** The socket's one {@code ssl_buffer_size}, or 0 when its servers differ (then looked up per handshake). */
    private final int bufferSize;
    /** The staples of the servers with {@code ssl_stapling on} that can staple; empty: no work per handshake. */
    private final Map<ServerTls, Staples.Source> staples;
    /** The OCSP checks of the servers with {@code ssl_ocsp}; empty: no lookup after a handshake. */
    private final Map<ServerTls, ClientOcspCheck> ocspChecks;

    private ListenTls(ListenTlsPlan plan, Map<ServerTls, SslContext> contexts, Map<ServerTls, ClientVerifier> verifiers,
                      Map<ServerTls, Staples.Source> staples, Map<ServerTls, ClientOcspCheck> ocspChecks,
                      ServerContexts engines) {
        this.plan = plan;
        this.ocspChecks = Map.copyOf(ocspChecks);
        this.staples = Map.copyOf(staples);
        this.contexts = Map.copyOf(contexts);
        this.verifiers = Map.copyOf(verifiers);
        this.engines = engines;
        this.bufferSize = plan.commonBufferSize();
        this.rejecting = plan.distinctSettings().stream().anyMatch(t -> t.handshake().options().rejectHandshake());
    }

    /** Loads the certificates and builds a context per distinct setting; every problem is reported at once. */
    public static ListenTls build(ListenTlsPlan plan, CertificateStore certificates, ServerContexts engines)
            throws TlsSetupException {
        return build(plan, certificates, engines, new HashMap<>());
    }

    /** As {@link #build(ListenTlsPlan, CertificateStore, ServerContexts)}, with the ssl_ocsp_cache zones made so far. */
    private static ListenTls build(ListenTlsPlan plan, CertificateStore certificates, ServerContexts engines,
                                   Map<String, OcspStatusCache> ocspZones) throws TlsSetupException {
        Objects.requireNonNull(plan, "plan");
        Map<ServerTls, SslContext> contexts = new HashMap<>();
        Map<ServerTls, ClientVerifier> verifiers = new HashMap<>();
        Map<ServerTls, Staples.Source> staples = new HashMap<>();
        Map<ServerTls, ClientOcspCheck> ocspChecks = new HashMap<>();
        ResolverClients lookups = new ResolverClients(HostResolver.system(), System::nanoTime);
        List<String> problems = new ArrayList<>();
        for (ServerTls settings : plan.distinctSettings()) {
            if (settings.handshake().options().rejectHandshake()) continue; // refused before any context is needed
            try {
                Optional<ClientVerifier> clients = ClientTrustFiles.load(settings.clientVerify());
                clients.ifPresent(v -> verifiers.put(settings, v));
                List<CertifiedKey> keys = certificates.getAll(settings.certificates());
                contexts.put(settings, engines.build(settings, keys, plan.http2(), clients));
                boolean canStaple = keys.size() == 1 && engines.provider() == SslProvider.OPENSSL
                        && OpenSsl.isOcspSupported();
                Staples.forServer(settings, keys, canStaple, Clock.systemUTC(), problems, HostResolver.system(),
                        r -> lookups.client(r, problems)).ifPresent(s -> staples.put(settings, s));
                ClientOcspSetup.forServer(settings.clientVerify(), Clock.systemUTC(), problems, HostResolver.system(),
                        r -> lookups.client(r, problems), ocspZones).ifPresent(c -> ocspChecks.put(settings, c));
            } catch (TlsSetupException e) {
                e.problems().stream().filter(p -> !problems.contains(p)).forEach(problems::add);
            }
        }
        if (!problems.isEmpty()) throw new TlsSetupException(problems);
        return new ListenTls(plan, contexts, verifiers, staples, ocspChecks, engines);
    }

    /**
     * The sockets of {@code plans} (see {@link TlsPlanner#plan(java.util.List)}), keyed alike; the problems of
     * every socket are reported at once, as {@code nginx -t} does.
     */
    public static Map<String, ListenTls> buildAll(Map<String, ListenTlsPlan> plans, CertificateStore certificates,
                                                  ServerContexts engines) throws TlsSetupException {
        Map<String, ListenTls> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Map<String, OcspStatusCache> ocspZones = new HashMap<>(); // a zone is shared by every socket's servers
        for (Map.Entry<String, ListenTlsPlan> e : plans.entrySet()) {
            try {
                out.put(e.getKey(), build(e.getValue(), certificates, engines, ocspZones));
            } catch (TlsSetupException ex) {
                ex.problems().stream().filter(p -> !problems.contains(p)).forEach(problems::add);
            }
        }
        if (!problems.isEmpty()) throw new TlsSetupException(problems);
        return Collections.unmodifiableMap(out);
    }

    /**
     * The context for the SNI name a client sent; {@code null} (Netty's "no SNI") gives the default server's. A server
     * with {@code ssl_reject_handshake on} has none: see {@link #rejects(String)}.
     */
    @Override
    public SslContext map(String serverName) {
        return contexts.get(plan.forServerName(Optional.ofNullable(serverName)));
    }

    /** Whether the server the SNI name selects ({@code null}: none sent) refuses the handshake. */
    public boolean rejects(String serverName) {
        return rejecting && plan.forServerName(Optional.ofNullable(serverName)).handshake().options().rejectHandshake();
    }

    /**
     * How the server the SNI name selected ({@code null}: none sent) verifies client certificates; empty when it
     * does not ask for them.
     */
    public Optional<ClientVerifier> clientVerifier(String serverName) {
        if (verifiers.isEmpty()) return Optional.empty(); // no lookup per handshake where no server asks
        return Optional.ofNullable(verifiers.get(plan.forServerName(Optional.ofNullable(serverName))));
    }

    /**
     * The {@code ssl_ocsp} check of the server the SNI name selected ({@code null}: none sent); empty when it has
     * none.
     */
    public Optional<ClientOcspCheck> ocspCheck(String serverName) {
        if (ocspChecks.isEmpty()) return Optional.empty(); // no lookup per handshake where no server checks
        return Optional.ofNullable(ocspChecks.get(plan.forServerName(Optional.ofNullable(serverName))));
    }

    /** Whether a server on this socket staples: only then is a ClientHello looked at for status_request. */
    public boolean staples() {
        return !staples.isEmpty();
    }

    /**
     * Hands the engine of a new handshake for the SNI name ({@code null}: none sent), whose client asked for the
     * certificate status (status_request), the staple of its server, if it has one by now. The first such handshake
     * starts the server's fetches on {@code connection}'s event loop, as nginx's status callback does.
     */
    public void staple(String serverName, SSLEngine engine, Channel connection) {
        Staples.Source source = staples.get(plan.forServerName(Optional.ofNullable(serverName)));
        if (source == null) return;
        byte[] der = source.staple(connection);
        if (der != null && engine instanceof ReferenceCountedOpenSslEngine openSsl) openSsl.setOcspResponse(der);
    }

    /**
     * The most bytes of application data a TLS record carries for the SNI name ({@code null}: none sent):
     * {@code ssl_buffer_size}.
     */
    public int bufferSize(String serverName) {
        return bufferSize != 0 ? bufferSize : plan.bufferSize(Optional.ofNullable(serverName));
    }

    public ListenTlsPlan plan() {
        return plan;
    }

    /** Which engine the contexts use, except those of servers with several certificates (see {@link ServerContexts}). */
    public io.netty.handler.ssl.SslProvider provider() {
        return engines.provider();
    }
}
