/**
 * TLS for the ingress's {@code ssl} sockets.
 *
 * <ul>
 *   <li>{@link dev.proxyline.server.tls.TlsPlanner}: the http servers to a
 *       {@link dev.proxyline.server.tls.ListenTlsPlan} per {@code ssl} socket (plain Java): which server's
 *       {@link dev.proxyline.server.tls.ServerTls} answers an SNI name, which is the default.</li>
 *   <li>{@link dev.proxyline.server.tls.CertificateStore} loads the PEM pairs
 *       ({@link dev.proxyline.server.tls.PemKeys}), or the
 *       {@link dev.proxyline.server.tls.DevelopmentCertificate} for servers without one.</li>
 *   <li>{@link dev.proxyline.server.tls.ServerContexts} builds engine contexts (OpenSSL when it loads;
 *       protocols; {@link dev.proxyline.server.tls.CipherString} for {@code ssl_ciphers}; ALPN), and
 *       {@link dev.proxyline.server.tls.ListenTls} is a socket's SNI mapping to them.</li>
 * </ul>
 * Every setup problem is a {@link dev.proxyline.server.tls.TlsSetupException} listing all of them.
 */
package dev.proxyline.server.tls;
