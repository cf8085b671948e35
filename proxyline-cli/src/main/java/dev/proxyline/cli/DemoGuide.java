package dev.proxyline.cli;

import dev.proxyline.config.Endpoint;
import dev.proxyline.config.HttpServer;
import dev.proxyline.config.Listen;
import dev.proxyline.config.ListenAddress;
import dev.proxyline.config.ProxyTarget;
import dev.proxyline.config.ProxylineConfig;
import dev.proxyline.config.StreamServer;
import dev.proxyline.server.tls.DevelopmentCertificate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code proxyline demo} tells a newcomer to try: one {@code curl} per balancer port that sends the PROXY
 * protocol to an http listen of the same configuration, from a client address that differs from the balancer's.
 *
 * @param hops the balancer ports, in configuration order
 */
record DemoGuide(List<Hop> hops) {
    /** The address curl binds to, so that the client, the balancer and the ingress all differ. */
    static final String CLIENT = "127.0.0.7";

    /**
     * One balancer port.
     *
     * @param balancer    where the client connects
     * @param source      the balancer's {@code proxy_bind}, the address the ingress sees the connection from
     * @param certificate for a TLS ingress, the certificate the client must trust
     */
    record Hop(InetSocketAddress balancer, Optional<InetAddress> source, Optional<Path> certificate) {
        Hop {
            Objects.requireNonNull(balancer, "balancer");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(certificate, "certificate");
        }
    }

    DemoGuide {
        hops = List.copyOf(hops);
    }

    /** The hops of {@code config}, whose relative paths resolve against {@code prefix}. */
    static DemoGuide of(ProxylineConfig config, Path prefix) {
        List<Hop> hops = new ArrayList<>();
        List<HttpServer> ingress = config.http().map(http -> http.servers()).orElse(List.of());
        for (StreamServer balancer : config.stream().map(stream -> stream.servers()).orElse(List.of())) {
            // The guide's curl commands reach IP listens only.
            if (!balancer.settings().send().enabled() || balancer.listens().isEmpty()
                    || !(balancer.proxyPass() instanceof ProxyTarget.Direct direct)
                    || !(direct.endpoint() instanceof Endpoint.Inet target)
                    || !(balancer.listens().get(0).address() instanceof ListenAddress.Ip front)) {
                continue;
            }
            InetSocketAddress address = new InetSocketAddress(
                    front.host().orElse(InetAddress.getLoopbackAddress()), front.port());
            for (HttpServer server : ingress) {
                Optional<Listen> reached = server.listens().stream().filter(l -> l.address() instanceof ListenAddress.Ip ip
                        && ip.port() == target.port() && ip.host().map(target.address()::equals).orElse(true))
                        .findFirst();
                if (reached.isPresent()) {
                    Optional<Path> certificate = reached.get().ssl()
                            ? Optional.of(certificate(server, prefix)) : Optional.empty();
                    hops.add(new Hop(address, balancer.settings().bind(), certificate));
                    break;
                }
            }
        }
        return new DemoGuide(hops);
    }

    private static Path certificate(HttpServer server, Path prefix) {
        List<String> configured = server.settings().tls().certificates();
        return configured.isEmpty() ? DevelopmentCertificate.certificateUnder(prefix) : prefix.resolve(configured.get(0));
    }

    /** The text, with paths relative to {@code workingDirectory} where they are below it. */
    String render(Path workingDirectory) {
        if (hops.isEmpty()) {
            return "No stream server of this configuration sends the PROXY protocol to one of its http listens;"
                    + " there is no chain to try.\n";
        }
        String balancerSource = hops.get(0).source().map(a -> "the balancer's " + a.getHostAddress())
                .orElse("the balancer's own address");
        StringBuilder text = new StringBuilder()
                .append("\nThe chain runs: client -> balancer (stream, sends a PROXY header) -> ingress (http, reads it)")
                .append(" -> demo backend.\nTry it from another terminal:\n\n");
        for (Hop hop : hops) {
            String host = hop.balancer().getAddress().getHostAddress();
            String authority = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + hop.balancer().getPort();
            text.append("  curl --interface ").append(CLIENT);
            hop.certificate().ifPresent(c -> text.append(" --cacert ").append(shown(c, workingDirectory)));
            text.append(hop.certificate().isPresent() ? " https://" : " http://").append(authority).append("/\n");
        }
        return text.append("\nEach answers with the client's own address, ").append(CLIENT).append(", as X-Real-IP and")
                .append(" the last X-Forwarded-For,\nnot ").append(balancerSource)
                .append(", although that is where the ingress's connection comes from.\n")
                .append("(--interface is Linux curl's; elsewhere drop it and the client is 127.0.0.1.) Ctrl-C stops.\n")
                .toString();
    }

    private static Path shown(Path file, Path workingDirectory) {
        Path absolute = file.toAbsolutePath().normalize();
        Path here = workingDirectory.toAbsolutePath().normalize();
        return absolute.startsWith(here) ? here.relativize(absolute) : absolute;
    }
}
