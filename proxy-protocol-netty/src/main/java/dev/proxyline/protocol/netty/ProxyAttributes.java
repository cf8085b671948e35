package dev.proxyline.protocol.netty;

import io.netty.util.AttributeKey;

/** The channel attributes the PROXY handlers set; the only place their keys are defined. */
public final class ProxyAttributes {
    /** Set by {@link ProxyHeaderReceiver} once the PROXY stage is over, before any byte is passed on. */
    public static final AttributeKey<ProxiedConnection> CONNECTION =
            AttributeKey.valueOf(ProxyAttributes.class, "proxiedConnection");

    private ProxyAttributes() {
    }
}
