/**
 * Netty handlers around the PROXY protocol codec.
 *
 * <p>Receiving: a {@link dev.proxyline.protocol.netty.ProxyReceiveStage} per listener (settings with
 * a {@link dev.proxyline.protocol.netty.TrustPolicy}, shared {@link dev.proxyline.protocol.netty.ProxyCounters}
 * and {@link dev.proxyline.protocol.netty.RejectionLog}) puts a
 * {@link dev.proxyline.protocol.netty.ProxyHeaderReceiver} first in each connection's pipeline. When
 * the header is in, the channel carries a {@link dev.proxyline.protocol.netty.ProxiedConnection}
 * under {@link dev.proxyline.protocol.netty.ProxyAttributes#CONNECTION}, the next stage (TLS, HTTP, a
 * relay) gets {@code channelActive}, that record as a user event, and then the bytes.
 *
 * <p>Sending: a {@link dev.proxyline.protocol.netty.ProxyHeaderSender} first in an upstream
 * connection's pipeline writes the header before anything else, typically built with
 * {@link dev.proxyline.protocol.netty.ProxyHeaderSender#forDownstream} from the downstream channel.
 *
 * <p>Policies ({@link dev.proxyline.protocol.netty.Cidr}, {@link dev.proxyline.protocol.netty.TrustPolicy},
 * {@link dev.proxyline.protocol.netty.ProxiedConnection#of}) and counters are plain Java.
 */
package dev.proxyline.protocol.netty;
