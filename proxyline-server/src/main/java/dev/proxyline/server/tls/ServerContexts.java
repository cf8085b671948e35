package dev.proxyline.server.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import javax.net.ssl.SSLSessionContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import dev.proxyline.config.HttpSettings;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;

/**
 * Builds the server engine context for one {@link ServerTls}: its certificates, protocols, cipher suites
 * and ALPN. A server with several certificates (an RSA and an ECDSA one) gets the JDK's engine, whose key
 * manager chooses per client by the suites and signature algorithms it offers, as nginx with OpenSSL does;
 * netty-tcnative's BoringSSL picks by the server's own cipher list and would serve every client the same one.
 */
public final class ServerContexts {
    /** Not subject to {@code ssl_ciphers}, as in nginx; the engine drops those it lacks. */
    private static final List<String> TLS13_SUITES =
            List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");
    /** Only in memory, to satisfy the KeyStore API. */
    private static final char[] IN_MEMORY = "proxyline".toCharArray();

    private final SslProvider provider;

    public ServerContexts(SslProvider provider) {
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    /** OpenSSL (BoringSSL through netty-tcnative) when it loads on this machine, the JDK's engine otherwise. */
    public static SslProvider preferredProvider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    public SslProvider provider() {
        return provider;
    }

    /**
     * The context for {@code settings} with {@code keys} (one per certificate source, same order); with
     * {@code clients}, it asks clients for a certificate and takes any (see {@link ClientCertificateRequest}).
     */
    public SslContext build(ServerTls settings, List<CertifiedKey> keys, boolean http2,
                            Optional<ClientVerifier> clients) throws TlsSetupException {
        return build(settings, keys, http2 ? List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1)
                : List.of(ApplicationProtocolNames.HTTP_1_1), clients);
    }

    /**
     * As {@link #build(ServerTls, List, boolean, Optional)}, offering {@code alpn} by ALPN; with none, ALPN is not
     * negotiated at all (a stream server: nginx's stream module offers nothing without {@code ssl_alpn}).
     */
    public SslContext build(ServerTls settings, List<CertifiedKey> keys, List<String> alpn,
                            Optional<ClientVerifier> clients) throws TlsSetupException {
        boolean openSsl = keys.size() == 1 && provider == SslProvider.OPENSSL;
        List<OpenSslSessionTicketKey> ticketKeys = HandshakeOptions.prepare(settings.handshake(), openSsl);
        List<String> selected = CipherString.evaluate(settings.ciphers());
        List<String> legacySuites = HandshakeOptions.suites(settings.handshake(), selected);
        boolean needsLegacy = settings.protocols().stream().anyMatch(p -> !p.equals("TLSv1.3"));
        if (legacySuites.isEmpty() && needsLegacy) {
            throw new TlsSetupException(List.of("\"ssl_ciphers " + settings.ciphers()
                    + "\" selects no cipher suite for " + String.join(", ", settings.protocols())
                    + " (TLS 1.3 suites are not affected by ssl_ciphers"
                    + (selected.isEmpty() ? "" : "; its DHE suites need ssl_dhparam") + ")"));
        }
        List<String> suites = new ArrayList<>(TLS13_SUITES);
        suites.addAll(legacySuites);
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(keyManagers(keys));
            if (clients.isPresent()) {
                builder.clientAuth(ClientAuth.OPTIONAL).trustManager(new ClientCertificateRequest(clients.get().named()));
            }
            HandshakeOptions.configure(builder, settings.handshake(), openSsl);
            // Only BoringSSL can staple; Staples warns where the JDK's engine serves a server with ssl_stapling.
            if (settings.stapling().isPresent() && openSsl && OpenSsl.isOcspSupported()) builder.enableOcsp(true);
            builder.sslProvider(openSsl ? SslProvider.OPENSSL : SslProvider.JDK)
                    .protocols(settings.protocols())
                    .ciphers(suites, SupportedCipherSuiteFilter.INSTANCE);
            if (!alpn.isEmpty()) {
                builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
            }
            SslContext context = builder.build();
            applySessions(context, settings.sessions());
            return HandshakeOptions.apply(context, settings.handshake(), ticketKeys);
        } catch (SSLException | GeneralSecurityException | IllegalArgumentException e) {
            Optional<String> curves = HandshakeOptions.curvesProblem(settings.handshake(), e);
            if (curves.isPresent()) throw new TlsSetupException(List.of(curves.get()));
            throw new TlsSetupException(List.of("cannot set up TLS with protocols " + settings.protocols()
                    + " and ssl_ciphers \"" + settings.ciphers() + "\": " + e.getMessage()));
        }
    }

    /**
     * nginx's session settings on the context: the server-side cache (on with a size, or off) and the lifetime of
     * sessions and tickets. The JDK's engine (a server with several certificates) always keeps its cache.
     */
    private static void applySessions(SslContext context, HttpSettings.Sessions sessions) {
        SSLSessionContext sessionContext = context.sessionContext();
        sessionContext.setSessionTimeout((int) Math.min(Integer.MAX_VALUE, sessions.timeout().toSeconds()));
        if (sessions.cacheSize() > 0) {
            sessionContext.setSessionCacheSize(sessions.cacheSize());
        }
        if (context instanceof ReferenceCountedOpenSslContext openSsl) {
            openSsl.sessionContext().setSessionCacheEnabled(sessions.cache());
        }
    }

    /** One key entry per certificate: the engine's key manager chooses among them by the client's key types. */
    private static KeyManagerFactory keyManagers(List<CertifiedKey> keys) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        for (int i = 0; i < keys.size(); i++) {
            CertifiedKey k = keys.get(i);
            store.setKeyEntry("key" + i, k.key(), IN_MEMORY, k.chain().toArray(X509Certificate[]::new));
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, IN_MEMORY);
        return factory;
    }
}
