package dev.proxyline.server.runtime.dns;

import dev.proxyline.config.Resolver;
import dev.proxyline.server.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DefaultDnsCache;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * nginx's {@code resolver} on Netty's DNS client: one client per event loop (its UDP socket and cache belong to
 * that loop, so a lookup never crosses threads), asking only the configured servers, without the hosts file, the
 * system's {@code resolv.conf} or search domains. Answers are kept for {@code valid=} when given, else for their
 * records' TTL; failures are not kept.
 */
public final class DnsLookups implements NameLookup {
    /** Netty's ceiling for a TTL it keeps (about 68 years): the records' own TTL then decides. */
    private static final int ANY_TTL = Integer.MAX_VALUE;

    private final Resolver settings;
    private final Map<EventLoop, DnsNameResolver> clients = new ConcurrentHashMap<>();

    public DnsLookups(Resolver settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public Future<List<InetAddress>> lookup(Channel channel, String host) {
        // An HTTP/2 stream is no socket: its connection's transport says which datagram socket the loop takes.
        Channel socket = channel.parent() != null ? channel.parent() : channel;
        return lookup(channel.eventLoop(), Transport.of(socket).isNative(), host);
    }

    /**
     * As {@link #lookup(Channel, String)}, for work that has no client channel (an OCSP request): the lookup runs on
     * {@code loop}, with an epoll datagram socket when {@code nativeTransport} (the loop's own kind).
     */
    public Future<List<InetAddress>> lookup(EventLoop loop, boolean nativeTransport, String host) {
        DnsNameResolver client = clients.computeIfAbsent(loop, l -> client(l, nativeTransport));
        Promise<List<InetAddress>> answer = loop.newPromise();
        client.resolveAll(host).addListener((Future<List<InetAddress>> done) -> {
            if (done.isSuccess() && !done.getNow().isEmpty()) {
                answer.trySuccess(done.getNow());
            } else {
                answer.tryFailure(new LookupFailure(host, timedOut(done.cause())));
            }
        });
        return answer;
    }

    private DnsNameResolver client(EventLoop loop, boolean epoll) {
        int valid = settings.valid().map(v -> (int) Math.min(Integer.MAX_VALUE, v.toSeconds())).orElse(-1);
        DefaultDnsCache cache = valid >= 0 ? new DefaultDnsCache(valid, valid, 0) : new DefaultDnsCache(0, ANY_TTL, 0);
        DnsNameResolverBuilder builder = new DnsNameResolverBuilder(loop)
                .datagramChannelFactory(epoll ? EpollDatagramChannel::new : NioDatagramChannel::new)
                .nameServerProvider(new SequentialDnsServerAddressStreamProvider(
                        settings.servers().toArray(new InetSocketAddress[0])))
                .hostsFileEntriesResolver((name, types) -> null)
                .searchDomains(List.of())
                .ndots(1)
                .resolveCache(cache)
                .queryTimeoutMillis(Math.max(1, settings.timeout().toMillis()))
                .resolvedAddressTypes(settings.ipv6() ? ResolvedAddressTypes.IPV4_PREFERRED
                        : ResolvedAddressTypes.IPV4_ONLY)
                .recursionDesired(true)
                .decodeIdn(false);
        return builder.build();
    }

    private static boolean timedOut(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof DnsNameResolverTimeoutException) return true;
        }
        return false;
    }

    /** Closes the clients' sockets; lookups after this fail. */
    public void close() {
        clients.values().forEach(DnsNameResolver::close);
        clients.clear();
    }

    @Override
    public String toString() {
        return "resolver " + settings.servers();
    }
}
