package dev.proxyline.server.stream;

import io.netty.channel.Channel;

/** Zero-copy relaying with splice(2); see {@link StreamProxy} for when it applies. */
final class SpliceRelay {

    private SpliceRelay() {}

    static boolean eligible(Channel client, Channel upstream, RelayEndpoint clientEnd) {
        return false;
    }

    static void start(RelaySession session, Channel client, Channel upstream) {
        throw new UnsupportedOperationException("splice");
    }
}
