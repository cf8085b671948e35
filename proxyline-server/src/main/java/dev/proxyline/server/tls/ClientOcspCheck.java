package dev.proxyline.server.tls;

import dev.proxyline.config.ClientOcsp;
import dev.proxyline.server.runtime.dns.DnsLookups;
import dev.proxyline.server.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code ssl_ocsp} of one server: asks the responders about a client's certificate chain that verified, as nginx's
 * {@code ngx_ssl_ocsp_validate} does, one certificate after the other from the client's own up to, not including,
 * the trust anchor ({@code leaf}: the client's own only). A certificate is asked about at its
 * {@code ssl_ocsp_responder}, else at the first OCSP URL of its own Authority Information Access; an answer kept in
 * the {@code ssl_ocsp_cache} zone is taken without asking. The first certificate that is not good decides; a
 * responder that cannot be asked, or whose answer fails the checks (signed by the issuer or a responder it delegated,
 * the issuer on the verified path, times valid), fails the check. Runs on the connection's event loop.
 */
public final class ClientOcspCheck {
    private static final System.Logger LOG = System.getLogger(ClientOcspCheck.class.getName());
    /**
     * nginx sets no timeout on these requests (a responder that never answers holds the connection until the client
     * goes); proxyline bounds them as stapling's.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** {@code ssl_ocsp_responder}, with the addresses its name had at start. */
    record Responder(OcspResponderUrl url, List<InetAddress> atStart) {
        Responder {
            Objects.requireNonNull(url, "url");
            atStart = List.copyOf(atStart);
        }
    }

    private final ClientOcsp.Mode mode;
    private final Optional<Responder> responder;
    private final Optional<DnsLookups> resolver;
    private final Optional<OcspStatusCache> cache;
    private final Clock clock;

    ClientOcspCheck(ClientOcsp.Mode mode, Optional<Responder> responder, Optional<DnsLookups> resolver,
                    Optional<OcspStatusCache> cache, Clock clock) {
        if (mode == ClientOcsp.Mode.OFF) throw new IllegalArgumentException("nothing to check with ssl_ocsp off");
        this.mode = mode;
        this.responder = Objects.requireNonNull(responder, "responder");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The verdict on {@code path} (the verified chain: the client's certificate first, the trust anchor last), made
     * on {@code connection}'s event loop.
     */
    public Future<OcspVerdict> check(List<X509Certificate> path, Channel connection) {
        Promise<OcspVerdict> verdict = connection.eventLoop().newPromise();
        next(List.copyOf(path), 0, connection.eventLoop(), Transport.of(connection), verdict);
        return verdict;
    }

    /** How many certificates of a path of {@code length} are asked about: all but the anchor, or the leaf only. */
    int asked(int length) {
        return Math.max(0, mode == ClientOcsp.Mode.LEAF ? Math.min(1, length - 1) : length - 1);
    }

    private void next(List<X509Certificate> path, int i, EventLoop loop, Transport transport,
                      Promise<OcspVerdict> verdict) {
        for (; i < asked(path.size()); i++) {
            OcspExchange exchange = OcspExchange.about(path.get(i), path.get(i + 1));
            Optional<OcspExchange.Status> cached = cache.flatMap(c -> c.lookup(exchange.key()));
            if (cached.isPresent() && cached.get() == OcspExchange.Status.GOOD) continue;
            if (cached.isPresent()) {
                verdict.setSuccess(verdict(cached.get()));
                return;
            }
            ask(path, i, exchange, loop, transport, verdict);
            return;
        }
        verdict.setSuccess(OcspVerdict.GOOD);
    }

    private void ask(List<X509Certificate> path, int i, OcspExchange exchange, EventLoop loop, Transport transport,
                     Promise<OcspVerdict> verdict) {
        Responder to;
        if (responder.isPresent()) {
            to = responder.get();
        } else {
            Optional<String> url = Staples.responder(path.get(i));
            if (url.isEmpty()) {
                failed(verdict, "no OCSP responder URL in certificate", Optional.empty(), Optional.empty());
                return;
            }
            OcspResponderUrl.Parsed parsed = OcspResponderUrl.parse(url.get());
            if (parsed instanceof OcspResponderUrl.Unusable unusable) {
                failed(verdict, unusable.problem() + " in certificate", Optional.empty(), Optional.empty());
                return;
            }
            to = new Responder(((OcspResponderUrl.Usable) parsed).url(), List.of());
        }
        String host = to.url().host();
        OcspQuery.ask(loop, transport, to.url(), to.atStart(), resolver, exchange.request(), TIMEOUT,
                warning -> log(Level.WARNING, warning, Optional.of(host), Optional.empty()))
                .addListener((Future<OcspQuery.Result> done) -> {
                    OcspQuery.Result result = done.getNow();
                    if (result instanceof OcspQuery.Failure failure) {
                        failed(verdict, failure.problem(), Optional.of(host), failure.peer());
                        return;
                    }
                    OcspQuery.Body body = (OcspQuery.Body) result;
                    // the path verified, so each of its certificates is as trusted as the anchor
                    OcspExchange.Judged judged = exchange.judge(body.der(), clock.instant(), true, path);
                    if (judged instanceof OcspExchange.Unusable unusable) {
                        failed(verdict, unusable.reason(), Optional.of(host), Optional.of(body.peer()));
                        return;
                    }
                    OcspExchange.Stated stated = (OcspExchange.Stated) judged;
                    cache.ifPresent(c -> c.store(exchange.key(), stated.status(), stated.nextUpdate()));
                    if (stated.status() != OcspExchange.Status.GOOD) {
                        verdict.setSuccess(verdict(stated.status()));
                        return;
                    }
                    next(path, i + 1, loop, transport, verdict);
                });
    }

    private static OcspVerdict verdict(OcspExchange.Status status) {
        return status == OcspExchange.Status.REVOKED ? OcspVerdict.REVOKED
                : status == OcspExchange.Status.UNKNOWN ? OcspVerdict.UNKNOWN : OcspVerdict.GOOD;
    }

    private static void failed(Promise<OcspVerdict> verdict, String problem, Optional<String> host,
                               Optional<String> peer) {
        log(Level.ERROR, problem, host, peer);
        verdict.setSuccess(OcspVerdict.REQUEST_FAILED);
    }

    /** nginx's words: what happened, then while what, the responder and the address asked. */
    private static void log(Level level, String problem, Optional<String> host, Optional<String> peer) {
        LOG.log(level, problem + " while requesting certificate status" + host.map(h -> ", responder: " + h).orElse("")
                + peer.map(p -> ", peer: " + p).orElse(""));
    }
}
