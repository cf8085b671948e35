package dev.proxyline.server.http.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;

/**
 * nginx's {@code reset_timedout_connection on}: a connection closed because its client timed out (or by
 * {@code return 444}) ends with a TCP reset instead of a FIN, so that the kernel frees the socket at once instead of
 * keeping the unsent response and the FIN_WAIT state for a client that is not reading.
 */
final class ResetOnClose {
    private ResetOnClose() {}

    /** Makes the coming close of {@code channel} (a client's socket) a reset: SO_LINGER on with a timeout of 0. */
    static void arm(Channel channel) {
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
    }
}
