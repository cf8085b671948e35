package dev.proxyline.server.upstream;

import java.net.SocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One attempt of a sequence.
 *
 * @param name    the peer as {@code $upstream_addr} shows it
 * @param address the peer's socket address
 * @param failure why it failed; empty if it succeeded or is still in progress
 */
public record TriedPeer(String name, SocketAddress address, Optional<FailureKind> failure) {
    /** Rejects nulls. */
    public TriedPeer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(failure, "failure");
    }
}
