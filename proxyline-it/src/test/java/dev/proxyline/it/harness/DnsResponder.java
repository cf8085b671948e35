package dev.proxyline.it.harness;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small DNS server on a loopback UDP port for the {@code resolver} tests: names it knows get their IPv4
 * addresses (A records, TTL 60; AAAA questions get an empty answer), names it is told to ignore get no answer at all
 * (a resolver times out), every other name NXDOMAIN.
 */
public final class DnsResponder implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel channel;
    private final List<String> asked = new CopyOnWriteArrayList<>();

    private DnsResponder(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /**
     * @param names   each known name (without the final dot) with its addresses
     * @param ignored names asked for which nothing is answered
     */
    public static DnsResponder start(Map<String, List<InetAddress>> names, Set<String> ignored) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        DnsResponder[] self = new DnsResponder[1];
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                new SimpleChannelInboundHandler<DatagramDnsQuery>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
                                        self[0].answer(ctx, query, names, ignored);
                                    }
                                });
                    }
                });
        try {
            Channel channel = bootstrap.bind(new InetSocketAddress(Loopback.BACKEND, 0)).sync().channel();
            self[0] = new DnsResponder(group, channel);
            return self[0];
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully();
            throw new IllegalStateException("interrupted while binding the DNS responder", e);
        }
    }

    private void answer(ChannelHandlerContext ctx, DatagramDnsQuery query, Map<String, List<InetAddress>> names,
                        Set<String> ignored) {
        DnsQuestion question = query.recordAt(DnsSection.QUESTION);
        String name = question.name().toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
        asked.add(name + " " + question.type().name());
        if (ignored.contains(name)) return;
        DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
        response.setRecursionDesired(query.isRecursionDesired()).setRecursionAvailable(true);
        response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type()));
        List<InetAddress> addresses = names.get(name);
        if (addresses == null) {
            response.setCode(DnsResponseCode.NXDOMAIN);
        } else if (question.type() == DnsRecordType.A) {
            for (InetAddress address : addresses) {
                if (address instanceof Inet4Address) {
                    response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.A, 60,
                            Unpooled.wrappedBuffer(address.getAddress())));
                }
            }
        }
        ctx.writeAndFlush(response);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** The questions asked so far, as {@code NAME TYPE}. */
    public List<String> asked() {
        return List.copyOf(asked);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
