package dev.proxyline.protocol.netty;

/** The pipeline names of the PROXY handlers, so that later stages can find or replace them. */
public final class HandlerNames {
    /** {@link ProxyHeaderReceiver}: first in a PROXY listener's pipeline, before TLS and HTTP. */
    public static final String PROXY_RECEIVE = "proxy-protocol-receive";
    /** {@link ProxyHeaderSender}: in an upstream connection's pipeline, until the header is written. */
    public static final String PROXY_SEND = "proxy-protocol-send";
    /**
     * {@link UnexpectedHeaderHandler}: first in the pipeline of a listener without a PROXY stage,
     * until the first bytes rule a PROXY header out.
     */
    public static final String UNEXPECTED_PROXY_HEADER = "proxy-protocol-unexpected";

    private HandlerNames() {
    }
}
