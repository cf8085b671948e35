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
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A small DNS server on a loopback UDP port for the {@code resolver} tests: names it knows get their addresses (A
 * records for IPv4 ones, AAAA for IPv6 ones, TTL 60; a question of the other type an empty answer), names it is told
 * to ignore get no answer at all (a resolver times out), names given an RCODE get it with an empty answer (0: NOERROR
 * without any address), names given an alias a CNAME record alone, names given a delay get their answer that much
 * later, every other name NXDOMAIN. It may
 * listen on several addresses with one port ({@code localhost}'s 127.0.0.1 and ::1), counting the questions of each.
 */
public final class DnsResponder implements AutoCloseable {
    /** How each name is answered. */
    public record Script(Map<String, List<InetAddress>> names, Set<String> ignored, Map<String, Integer> codes,
                         Map<String, Duration> delays, Map<String, String> aliases) {
        public Script(Map<String, List<InetAddress>> names, Set<String> ignored) {
            this(names, ignored, Map.of(), Map.of(), Map.of());
        }
    }

    private final EventLoopGroup group;
    private final List<Channel> channels;
    private final List<String> asked = new CopyOnWriteArrayList<>();

    private DnsResponder(EventLoopGroup group, List<Channel> channels) {
        this.group = group;
        this.channels = channels;
    }

    /**
     * @param names   each known name (without the final dot) with its addresses
     * @param ignored names asked for which nothing is answered
     */
    public static DnsResponder start(Map<String, List<InetAddress>> names, Set<String> ignored) {
        return start(new Script(names, ignored), List.of(Loopback.BACKEND));
    }

    /** Listens on each of {@code addresses} with the same port, the first one's. */
    public static DnsResponder start(Script script, List<InetAddress> addresses) {
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
                                        self[0].answer(ctx, query, script);
                                    }
                                });
                    }
                });
        List<Channel> channels = new ArrayList<>();
        try {
            int port = 0;
            for (InetAddress address : addresses) {
                Channel channel = bootstrap.bind(new InetSocketAddress(address, port)).sync().channel();
                port = ((InetSocketAddress) channel.localAddress()).getPort();
                channels.add(channel);
            }
            self[0] = new DnsResponder(group, List.copyOf(channels));
            return self[0];
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully();
            throw new IllegalStateException("interrupted while binding the DNS responder", e);
        }
    }

    private void answer(ChannelHandlerContext ctx, DatagramDnsQuery query, Script script) {
        DnsQuestion question = query.recordAt(DnsSection.QUESTION);
        String name = question.name().toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
        asked.add(name + " " + question.type().name() + " @" + query.recipient().getAddress().getHostAddress());
        if (script.ignored().contains(name)) return;
        DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
        response.setRecursionDesired(query.isRecursionDesired()).setRecursionAvailable(true);
        response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type()));
        List<InetAddress> addresses = script.names().get(name);
        Integer code = script.codes().get(name);
        String alias = script.aliases().get(name);
        if (code != null) {
            response.setCode(DnsResponseCode.valueOf(code));
        } else if (alias != null) {
            response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.CNAME, 60,
                    Unpooled.wrappedBuffer(wireName(alias))));
        } else if (addresses == null) {
            response.setCode(DnsResponseCode.NXDOMAIN);
        } else {
            boolean aaaa = question.type() == DnsRecordType.AAAA;
            for (InetAddress address : addresses) {
                if (address instanceof Inet6Address == aaaa) {
                    response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), question.type(),
                            60, Unpooled.wrappedBuffer(address.getAddress())));
                }
            }
        }
        Duration delay = script.delays().getOrDefault(name, Duration.ZERO);
        if (delay.isZero()) {
            ctx.writeAndFlush(response);
        } else {
            ctx.executor().schedule(() -> ctx.writeAndFlush(response), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** A name as DNS writes it: each label after its length, then a zero. */
    private static byte[] wireName(String name) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (String label : name.split("\\.")) {
            byte[] bytes = label.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            out.write(bytes.length);
            out.write(bytes, 0, bytes.length);
        }
        out.write(0);
        return out.toByteArray();
    }

    /** The first address listened on. */
    public InetSocketAddress address() {
        return (InetSocketAddress) channels.get(0).localAddress();
    }

    /** The questions asked so far, as {@code NAME TYPE}. */
    public List<String> asked() {
        return asked.stream().map(q -> q.substring(0, q.indexOf(" @"))).toList();
    }

    /** The questions asked so far at {@code address}, as {@code NAME TYPE}. */
    public List<String> askedAt(InetAddress address) {
        String at = " @" + address.getHostAddress();
        return asked.stream().filter(q -> q.endsWith(at)).map(q -> q.substring(0, q.indexOf(" @"))).toList();
    }

    @Override
    public void close() {
        channels.forEach(c -> c.close().syncUninterruptibly());
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
