package dev.proxyline.server.http.connection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A JDK TLS client for the tests: chosen SNI name, protocols and suites, an optional PROXY header written
 * in clear before the ClientHello, then one HTTP/1.1 GET. Trusts any certificate: the tests look at which
 * one they got.
 */
final class TlsClient {
    /** What one exchange showed: the server's certificate and the response body. */
    record Exchange(X509Certificate certificate, String protocol, String body) {
        String subject() {
            return certificate.getSubjectX500Principal().getName();
        }
    }

    private static final TrustManager TRUST_ANY = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    private Optional<String> serverName = Optional.empty();
    private List<String> protocols = List.of("TLSv1.3", "TLSv1.2");
    private Optional<List<String>> suites = Optional.empty();
    private Optional<String> proxyHeader = Optional.empty();

    TlsClient serverName(String name) {
        serverName = Optional.of(name);
        return this;
    }

    TlsClient protocols(String... p) {
        protocols = List.of(p);
        return this;
    }

    TlsClient suites(String... s) {
        suites = Optional.of(List.of(s));
        return this;
    }

    TlsClient proxyHeader(String header) {
        proxyHeader = Optional.of(header);
        return this;
    }

    Exchange get(int port) throws IOException, GeneralSecurityException {
        Socket raw = new Socket();
        raw.setSoTimeout(10_000);
        raw.connect(new InetSocketAddress(StagesServer.LOOPBACK, port), 5_000);
        if (proxyHeader.isPresent()) raw.getOutputStream().write(proxyHeader.get().getBytes(StandardCharsets.US_ASCII));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {TRUST_ANY}, null);
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(raw, "127.0.0.1", port, true)) {
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(serverName.map(n -> List.<SNIServerName>of(new SNIHostName(n))).orElse(List.of()));
            p.setProtocols(protocols.toArray(String[]::new));
            suites.ifPresent(list -> p.setCipherSuites(list.toArray(String[]::new)));
            p.setApplicationProtocols(new String[] {"http/1.1"});
            s.setSSLParameters(p);
            s.startHandshake();
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String body = readResponseBody(s.getInputStream());
            return new Exchange((X509Certificate) s.getSession().getPeerCertificates()[0], s.getSession().getProtocol(), body);
        }
    }

    /** The body of one HTTP/1.1 response with Content-Length (the test request stage never closes). */
    static String readResponseBody(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("closed before the end of the response head: " + head);
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        if (!headers.startsWith("HTTP/1.1 200 ")) throw new IOException("unexpected response: " + headers);
        int length = headers.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                .map(l -> Integer.parseInt(l.substring(15).trim())).findFirst().orElseThrow();
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
