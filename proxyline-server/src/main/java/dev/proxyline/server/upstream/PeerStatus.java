package dev.proxyline.server.upstream;

import java.net.SocketAddress;

/**
 * A consistent snapshot of one peer's state, for metrics, the admin API and tests.
 *
 * @param name            the address as {@code $upstream_addr} shows it
 * @param server          the server text from the configuration
 * @param address         the socket address
 * @param backup          whether it is a backup server
 * @param down            whether it is marked down
 * @param weight          the configured weight
 * @param effectiveWeight the weight balancing uses now (lowered by failures, recovering by one per round)
 * @param currentWeight   smooth round-robin's running weight
 * @param conns           connections currently open through the group
 * @param fails           failures counted toward {@code max_fails}
 * @param available       whether it could be chosen at the time of the snapshot
 */
public record PeerStatus(String name, String server, SocketAddress address, boolean backup, boolean down,
                         int weight, int effectiveWeight, long currentWeight, int conns, int fails,
                         boolean available) {
}
