package dev.proxyline.server.runtime.dns;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.util.List;

/**
 * Looks up a host name at run time, for a {@code proxy_pass} with variables ({@code resolver}). The answer comes on
 * the event loop of the channel it is asked for; a failure is a {@link LookupFailure} with nginx's words.
 */
@FunctionalInterface
public interface NameLookup {
    /**
     * @param channel the client's channel: the lookup runs on its event loop, with a socket of its transport
     * @param host    a host name (never an address literal)
     * @return the addresses, IPv4 first, never empty when successful
     */
    Future<List<InetAddress>> lookup(Channel channel, String host);
}
