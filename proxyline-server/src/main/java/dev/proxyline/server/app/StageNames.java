package dev.proxyline.server.app;

/**
 * Pipeline names of the handlers the server assembly adds to accepted channels. The PROXY stage's
 * name is {@link dev.proxyline.protocol.netty.HandlerNames#PROXY_RECEIVE}; the relay names its own
 * handler when it takes over.
 */
public final class StageNames {
    /** {@link RelayStart}: waits for {@code channelActive} (held back by the PROXY stage) and hands over to the relay. */
    public static final String RELAY_START = "stream-relay-start";

    private StageNames() {
    }
}
