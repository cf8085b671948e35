package dev.proxyline.server.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The engine's trust manager for a server with {@code ssl_verify_client}: names the {@code ssl_client_certificate}
 * issuers in the certificate request and accepts whatever the client sends, as nginx's verify callback does. The
 * chain is judged once the handshake is done ({@link ClientVerifier}), so that the request, not the handshake, is
 * refused with nginx's 400 page.
 */
final class ClientCertificateRequest extends X509ExtendedTrustManager {
    private final X509Certificate[] named;

    ClientCertificateRequest(List<X509Certificate> named) {
        this.named = named.toArray(X509Certificate[]::new);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // Judged after the handshake.
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // Judged after the handshake.
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // Judged after the handshake.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("a server context does not check servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("a server context does not check servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a server context does not check servers");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return named.clone();
    }
}
