package dev.proxyline.protocol.netty;

import static dev.proxyline.protocol.netty.testing.PeerChannel.ip;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.protocol.DecodeResult;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyEncodeException;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.ProxyHeaderDecoder;
import dev.proxyline.protocol.Tlv;
import dev.proxyline.protocol.netty.testing.LeakCheck;
import dev.proxyline.protocol.netty.testing.PeerChannel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class ProxyHeaderSenderTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress(ip("203.0.113.7"), 51234);
    private static final InetSocketAddress SERVICE = new InetSocketAddress(ip("10.0.0.30"), 443);

    /** Everything written to {@code channel}, as one byte array, released. */
    private static byte[] written(EmbeddedChannel channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            buf.release();
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    private static ProxyHeader decode(byte[] bytes) {
        DecodeResult result = new ProxyHeaderDecoder().decode(bytes);
        assertThat(result).isInstanceOf(DecodeResult.Complete.class);
        return ((DecodeResult.Complete) result).header();
    }

    @Test
    void theHeaderIsWrittenFirstInOneWriteThenTheHandlerSteps() {
        ChannelInboundHandlerAdapter relay = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ctx.writeAndFlush(Unpooled.copiedBuffer("hello", US_ASCII));
            }
        };
        EmbeddedChannel channel = new EmbeddedChannel(
                new ProxyHeaderSender(ProxyHeader.tcp(ProtocolVersion.V1, CLIENT, SERVICE)), relay);

        ByteBuf first = channel.readOutbound();
        assertThat(first.toString(US_ASCII)).isEqualTo("PROXY TCP4 203.0.113.7 10.0.0.30 51234 443\r\n");
        first.release();
        assertThat(new String(written(channel), US_ASCII)).isEqualTo("hello");
        assertThat(channel.pipeline().get(ProxyHeaderSender.class)).isNull();
        channel.finishAndReleaseAll();
    }

    @Test
    void writesIssuedBeforeTheConnectionIsActiveWaitBehindTheHeader() {
        ConnectingChannel channel = new ConnectingChannel(new ProxyHeaderSender(ProxyHeader.tcp(ProtocolVersion.V2, CLIENT, SERVICE)));
        ChannelFuture early = channel.write(Unpooled.copiedBuffer("early ", US_ASCII));
        channel.writeAndFlush(Unpooled.copiedBuffer("data", US_ASCII));
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(early.isDone()).isFalse();

        channel.connectNow();

        byte[] wire = written(channel);
        DecodeResult.Complete complete = (DecodeResult.Complete) new ProxyHeaderDecoder().decode(wire);
        assertThat(complete.header().sourceAddress()).contains(CLIENT);
        assertThat(new String(wire, complete.length(), wire.length - complete.length(), US_ASCII)).isEqualTo("early data");
        assertThat(early.isSuccess()).isTrue();
        channel.finishAndReleaseAll();
    }

    @Test
    void queuedWritesFailAndAreReleasedWhenTheConnectionNeverOpens() {
        ConnectingChannel channel = new ConnectingChannel(new ProxyHeaderSender(ProxyHeader.tcp(ProtocolVersion.V2, CLIENT, SERVICE)));
        ByteBuf data = Unpooled.copiedBuffer("data", US_ASCII);
        ChannelFuture write = channel.writeAndFlush(data);
        channel.close();
        assertThat(write.isDone() && !write.isSuccess()).isTrue();
        assertThat(data.refCnt()).isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void forDownstreamAnnouncesTheEffectiveClientFoundByThePreviousHop() {
        EmbeddedChannel downstream = PeerChannel.fromBalancer();
        downstream.attr(ProxyAttributes.CONNECTION).set(ProxiedConnection.of(PeerChannel.BALANCER, PeerChannel.LISTENER,
                HeaderPolicy.REQUIRE, Optional.of(ProxyHeader.tcp(ProtocolVersion.V1, CLIENT, SERVICE))));
        EmbeddedChannel upstream = new EmbeddedChannel(ProxyHeaderSender.forDownstream(downstream,
                new SendSettings(ProtocolVersion.V2, List.of(Tlv.Authority.of("example.com")), true)));

        ProxyHeader sent = decode(written(upstream));
        assertThat(sent.sourceAddress()).contains(CLIENT);
        assertThat(sent.destinationAddress()).contains(SERVICE);
        assertThat(sent.tlvs().get(0)).isInstanceOf(Tlv.Crc32c.class);
        assertThat(sent.tlv(Tlv.Authority.class)).map(Tlv.Authority::hostName).contains("example.com");
        upstream.finishAndReleaseAll();
        downstream.finishAndReleaseAll();
    }

    @Test
    void forDownstreamWithoutAProxyStageAnnouncesTheSocketAddresses() {
        EmbeddedChannel downstream = PeerChannel.fromBalancer();
        EmbeddedChannel upstream = new EmbeddedChannel(ProxyHeaderSender.forDownstream(downstream, SendSettings.of(ProtocolVersion.V1)));
        assertThat(decode(written(upstream)).sourceAddress()).contains(PeerChannel.BALANCER);
        upstream.finishAndReleaseAll();
        downstream.finishAndReleaseAll();
    }

    @Test
    void aHeaderThatCannotBeEncodedFailsAtConstruction() {
        ProxyHeader v1WithTlv = new ProxyHeader(ProtocolVersion.V1, dev.proxyline.protocol.Command.PROXY,
                dev.proxyline.protocol.AddressFamily.INET, dev.proxyline.protocol.TransportProtocol.STREAM,
                new dev.proxyline.protocol.Endpoints.Inet(CLIENT, SERVICE), List.of(Tlv.Authority.of("x")),
                dev.proxyline.protocol.Bytes.EMPTY);
        assertThatThrownBy(() -> new ProxyHeaderSender(v1WithTlv)).isInstanceOf(ProxyEncodeException.class);
    }

    /** An embedded channel that stays "connecting" until told, like a client channel after connect(). */
    private static final class ConnectingChannel extends EmbeddedChannel {
        private boolean connected;

        ConnectingChannel(io.netty.channel.ChannelHandler... handlers) {
            super(handlers);
        }

        @Override
        public boolean isActive() {
            return connected && super.isActive();
        }

        void connectNow() {
            connected = true;
            pipeline().fireChannelActive();
        }
    }
}
