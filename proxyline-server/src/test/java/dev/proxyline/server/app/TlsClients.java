package dev.proxyline.server.app;

import dev.proxyline.server.tls.CertificateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** JDK TLS clients for the ingress tests that trust exactly one certificate: the one the test made. */
final class TlsClients {
    private TlsClients() {
    }

    /** A context trusting only {@code files}' certificate. */
    static SSLContext trusting(CertificateFiles files) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(files.certificate().path())) {
            trusted.setCertificateEntry("test", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /**
     * A TLS connection over {@code raw} (already connected, so bound where the test wants the client), with SNI
     * {@code serverName}, ALPN http/1.1 and the host name checked; the handshake is done when this returns.
     */
    static SSLSocket http1(Socket raw, SSLContext context, String serverName) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(raw, serverName, raw.getPort(), true);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.<SNIServerName>of(new SNIHostName(serverName)));
        p.setApplicationProtocols(new String[] {"http/1.1"});
        p.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }
}
