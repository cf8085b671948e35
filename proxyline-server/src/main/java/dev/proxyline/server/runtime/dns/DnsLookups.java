package dev.proxyline.server.runtime.dns;

import dev.proxyline.config.Resolver;
import dev.proxyline.server.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * nginx's {@code resolver}: asks only the configured servers (no hosts file, no {@code resolv.conf}, no search
 * domains), a new lookup at the server after the previous lookup's, resending to the next one every 5 seconds, giving
 * up after {@code resolver_timeout}; answers kept for {@code valid=} or their TTL, failures not kept. The cache and
 * the rotation are shared, as in one nginx worker; each event loop has its own socket and its own lookups in flight
 * ({@link LoopClient}), so a lookup never crosses threads.
 *
 * <p>Netty's DNS codec reads and writes the messages; its {@code DnsNameResolver} is not used, because it asks the
 * next server after a SERVFAIL, times out each server on its own and does not rotate among them, so nginx's errors,
 * timing and order of questions cannot be had from it.
 */
public final class DnsLookups implements NameLookup {
    private final Resolver settings;
    private final List<InetSocketAddress> servers;
    private final LongSupplier nanoClock;
    private final AnswerCache cache;
    private final AtomicInteger rotation = new AtomicInteger();
    private final Map<EventLoop, LoopClient> clients = new ConcurrentHashMap<>();

    /**
     * @param settings  the {@code resolver} line
     * @param servers   its servers' addresses, names already resolved
     * @param nanoClock the clock of the cache and of the timeouts
     */
    public DnsLookups(Resolver settings, List<InetSocketAddress> servers, LongSupplier nanoClock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.servers = List.copyOf(servers);
        if (this.servers.isEmpty()) throw new IllegalArgumentException("a resolver needs a server");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.cache = new AnswerCache(settings.valid());
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
        String name = host.toLowerCase(Locale.ROOT);
        Optional<List<InetAddress>> known = cache.get(name, nanoClock.getAsLong());
        if (known.isPresent()) return loop.newSucceededFuture(known.get());
        LoopClient client = clients.computeIfAbsent(loop, l -> new LoopClient(l, nativeTransport,
                servers, settings, cache, this::firstServer, nanoClock));
        Promise<List<InetAddress>> answer = loop.newPromise();
        if (loop.inEventLoop()) {
            client.lookup(name, answer);
        } else {
            loop.execute(() -> client.lookup(name, answer));
        }
        return answer;
    }

    /** The server a new lookup starts at: the one after the previous lookup's. */
    private int firstServer() {
        return Math.floorMod(rotation.getAndIncrement(), servers.size());
    }

    /** Closes the clients' sockets; their lookups in flight fail. */
    public void close() {
        clients.values().forEach(LoopClient::close);
        clients.clear();
    }

    @Override
    public String toString() {
        return "resolver " + servers;
    }
}
