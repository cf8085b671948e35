package dev.proxyline.it.harness;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * HAProxy (from 127.0.0.3) in front of a proxyline listener, with one frontend per way a balancer sends
 * the PROXY header, or fails to: the same senders serve the L4 and the ingress interop tests.
 *
 * @param sendProxy          {@code send-proxy} (v1) to the {@code proxy_protocol} target
 * @param sendProxyV2        {@code send-proxy-v2}
 * @param sendProxyV2Options {@code send-proxy-v2} with {@code crc32c,unique-id,authority}; the unique id is
 *                           {@code CLIENT_IP:CLIENT_PORT}
 * @param tls                a TLS frontend ({@link #serverCertificate()} for {@code interop.test}, client
 *                           certificates optional) sending v2 with the SSL TLVs, authority and CRC32C
 * @param headerToPlain      {@code send-proxy} to the target WITHOUT {@code proxy_protocol}: misconfigured
 * @param noHeader           no header to the {@code proxy_protocol} target: misconfigured the other way
 */
public record HaproxySenders(HaproxyPeer haproxy, Certificates.Pair serverCertificate,
                             Certificates.Pair clientCertificate, InetSocketAddress sendProxy,
                             InetSocketAddress sendProxyV2, InetSocketAddress sendProxyV2Options,
                             InetSocketAddress tls, InetSocketAddress headerToPlain, InetSocketAddress noHeader)
        implements AutoCloseable {

    /**
     * Starts HAProxy in {@code directory/haproxy}.
     *
     * @param proxyProtocolTarget a proxyline listener with {@code proxy_protocol}
     * @param plainTarget         a proxyline listener without it
     */
    public static HaproxySenders start(Path directory, InetSocketAddress proxyProtocolTarget,
                                       InetSocketAddress plainTarget) throws Exception {
        Certificates.Pair server = Certificates.selfSigned(directory, "server", "interop.test");
        Certificates.Pair client = Certificates.selfSigned(directory, "client", "interop-client");
        InetSocketAddress sendProxy = Loopback.freePort(Loopback.HAPROXY);
        InetSocketAddress sendProxyV2 = Loopback.freePort(Loopback.HAPROXY);
        InetSocketAddress sendProxyV2Options = Loopback.freePort(Loopback.HAPROXY);
        InetSocketAddress tls = Loopback.freePort(Loopback.HAPROXY);
        InetSocketAddress headerToPlain = Loopback.freePort(Loopback.HAPROXY);
        InetSocketAddress noHeader = Loopback.freePort(Loopback.HAPROXY);
        String pp = Loopback.hostPort(proxyProtocolTarget);
        HaproxyPeer haproxy = HaproxyPeer.start(Files.createDirectory(directory.resolve("haproxy")), """
                defaults tcp
                    mode tcp
                    timeout connect 2s
                    timeout client 5s
                    timeout server 5s

                listen send_proxy from tcp
                    bind %s
                    server pl %s send-proxy source 127.0.0.3

                listen send_proxy_v2 from tcp
                    bind %s
                    server pl %s send-proxy-v2 source 127.0.0.3

                listen send_proxy_v2_options from tcp
                    bind %s
                    unique-id-format %%ci:%%cp
                    server pl %s send-proxy-v2 proxy-v2-options crc32c,unique-id,authority source 127.0.0.3

                listen tls from tcp
                    bind %s ssl crt %s ca-file %s verify optional
                    server pl %s send-proxy-v2 proxy-v2-options ssl,cert-cn,ssl-cipher,authority,crc32c source 127.0.0.3

                listen header_to_plain from tcp
                    bind %s
                    server pl %s send-proxy source 127.0.0.3

                listen no_header from tcp
                    bind %s
                    server pl %s source 127.0.0.3
                """.formatted(Loopback.hostPort(sendProxy), pp, Loopback.hostPort(sendProxyV2), pp,
                Loopback.hostPort(sendProxyV2Options), pp, Loopback.hostPort(tls), server.combined(),
                client.certificate(), pp, Loopback.hostPort(headerToPlain), Loopback.hostPort(plainTarget),
                Loopback.hostPort(noHeader), pp),
                List.of(sendProxy, sendProxyV2, sendProxyV2Options, tls, headerToPlain, noHeader));
        return new HaproxySenders(haproxy, server, client, sendProxy, sendProxyV2, sendProxyV2Options, tls,
                headerToPlain, noHeader);
    }

    @Override
    public void close() {
        haproxy.close();
    }
}
