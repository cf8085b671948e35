package dev.proxyline.server.http.proxy;

import dev.proxyline.config.Endpoint;
import dev.proxyline.config.InetLiteral;
import dev.proxyline.server.runtime.HostResolver;
import dev.proxyline.server.runtime.UpstreamPlan;
import dev.proxyline.server.runtime.dns.NameLookup;
import dev.proxyline.server.transport.UpstreamBootstrap;
import dev.proxyline.server.runtime.UpstreamGroups;
import dev.proxyline.server.upstream.NextUpstreamPolicy;
import dev.proxyline.server.upstream.UpstreamGroup;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.Template;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A location's {@code proxy_pass} with variables: per request the URL is expanded and read ({@link ProxyUrl}), and
 * its host is, in nginx's order, a UNIX-domain socket ({@code http://unix:PATH:/URI}: a one-server group of its own,
 * never an upstream block, as nginx connects to it without looking for one), an upstream group
 * ({@link UpstreamDirectory}), an IP address, or a name looked up with {@code resolver} (none: 502,
 * {@code no resolver defined to resolve NAME}). A name's addresses are that request's servers
 * ({@link UpstreamGroups#lookedUp}). With a URI part the request goes with exactly that URI; without one, with its
 * own (after rewrites), as nginx does for variables.
 */
public final class ComputedProxy {
    private static final UriRewrite OWN_URI = UriRewrite.unchanged();
    /** A socket's group has no name to look up. */
    private static final HostResolver NOTHING_TO_RESOLVE = host -> {
        throw new IllegalStateException("a UNIX-domain socket needs no resolver");
    };

    private final Template url;
    private final UpstreamDirectory directory;
    private final Optional<NameLookup> lookup;
    private final UpstreamPool noKeepalive;
    private final UpstreamBootstrap bootstrap;
    private final NextUpstreamPolicy nextUpstream;
    private final Function<String, UpstreamTls> tls;
    private final LongSupplier nanoClock;

    /**
     * @param url          the {@code proxy_pass} value compiled
     * @param directory    the groups a URL may name
     * @param lookup       the location's {@code resolver}, if any
     * @param noKeepalive  the pool of addresses that are no group's: none is kept, as nginx keeps none for them
     * @param bootstrap    connects with the location's {@code proxy_connect_timeout}
     * @param nextUpstream the location's {@code proxy_next_upstream}
     * @param tls          the TLS of an {@code https} URL, by its host ({@code proxy_ssl_name} when set)
     */
    public ComputedProxy(Template url, UpstreamDirectory directory, Optional<NameLookup> lookup,
                         UpstreamPool noKeepalive, UpstreamBootstrap bootstrap, NextUpstreamPolicy nextUpstream,
                         Function<String, UpstreamTls> tls, LongSupplier nanoClock) {
        this.url = Objects.requireNonNull(url, "url");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.noKeepalive = Objects.requireNonNull(noKeepalive, "noKeepalive");
        this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
        this.nextUpstream = Objects.requireNonNull(nextUpstream, "nextUpstream");
        this.tls = Objects.requireNonNull(tls, "tls");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /**
     * Where the request goes: known at once unless a name is looked up; a failure is a {@link RouteFailure}.
     *
     * @param client  the client's channel, on whose event loop the answer comes
     * @param request the request's variables, for the URL
     */
    Future<LocationPlan.Forward> forward(Channel client, SessionSnapshot request) {
        EventLoop loop = client.eventLoop();
        ProxyUrl parsed;
        try {
            parsed = ProxyUrl.parse(url.render(request));
        } catch (ProxyUrl.Invalid e) {
            return loop.newFailedFuture(new RouteFailure(500, HttpCounters.Reason.BAD_PROXY_URL, e.getMessage()));
        }
        UriRewrite uri = parsed.uri().map(UriRewrite::verbatim).orElse(OWN_URI);
        Optional<UpstreamTls> secure = parsed.https() ? Optional.of(tls.apply(parsed.host())) : Optional.empty();
        if (parsed.socket().isPresent()) {
            UpstreamGroup group = UpstreamGroups.direct(new Endpoint.Unix(parsed.socket().get()), NOTHING_TO_RESOLVE,
                    nanoClock, ThreadLocalRandom.current());
            return loop.newSucceededFuture(new LocationPlan.Forward(
                    new UpstreamPlan(group, Optional.empty(), nextUpstream), noKeepalive, uri, bootstrap, secure));
        }
        Optional<UpstreamDirectory.Entry> known = directory.find(parsed);
        if (known.isPresent()) {
            UpstreamDirectory.Entry entry = known.get();
            return loop.newSucceededFuture(new LocationPlan.Forward(
                    new UpstreamPlan(entry.group(), entry.hashKey(), nextUpstream), entry.pool(), uri, bootstrap, secure));
        }
        Optional<InetAddress> literal = InetLiteral.parse(parsed.bareHost());
        if (literal.isPresent()) {
            return loop.newSucceededFuture(to(parsed, List.of(literal.get()), uri, secure));
        }
        if (lookup.isEmpty()) {
            return loop.newFailedFuture(new RouteFailure(502, HttpCounters.Reason.UPSTREAM_UNRESOLVED,
                    "no resolver defined to resolve " + parsed.host()));
        }
        Promise<LocationPlan.Forward> chosen = loop.newPromise();
        lookup.get().lookup(client, parsed.bareHost()).addListener((Future<List<InetAddress>> done) -> {
            if (done.isSuccess()) {
                chosen.trySuccess(to(parsed, done.getNow(), uri, secure));
            } else {
                chosen.tryFailure(new RouteFailure(502, HttpCounters.Reason.UPSTREAM_UNRESOLVED,
                        done.cause().getMessage()));
            }
        });
        return chosen;
    }

    /** A group of this request's own, of the address or of the name's addresses. */
    private LocationPlan.Forward to(ProxyUrl target, List<InetAddress> addresses, UriRewrite uri,
                                    Optional<UpstreamTls> secure) {
        UpstreamGroup group = UpstreamGroups.lookedUp(target.host(), target.port(), addresses, nanoClock);
        return new LocationPlan.Forward(new UpstreamPlan(group, Optional.empty(), nextUpstream), noKeepalive, uri,
                bootstrap, secure);
    }

    @Override
    public String toString() {
        return "proxy_pass " + url;
    }
}
