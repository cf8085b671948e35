package dev.proxyline.server.runtime.dns;

import dev.proxyline.config.Resolver;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * One event loop's DNS client: its UDP socket, and the lookups in flight on it, each name asked once however many
 * requests wait for it. Everything here runs on that loop.
 */
final class LoopClient {
    private static final System.Logger LOG = System.getLogger(LoopClient.class.getName());
    /** nginx's limit on CNAMEs followed for one name. */
    private static final int MAX_ALIASES = 50;
    /** nginx reads answers of up to this size over UDP. */
    private static final int UDP_SIZE = 4096;

    /** One name being looked up, for the requests that wait for it. */
    private final class Pending {
        final String origin;
        final List<Promise<List<InetAddress>>> waiters = new ArrayList<>();
        /** resolver_timeout after the start: a CNAME's lookup gets only what is left of it. */
        final long deadlineNanos;
        String name;
        int aliases;
        AnswerPair pair;
        QuerySchedule schedule;
        int idA = -1;
        int idAaaa = -1;
        ScheduledFuture<?> timer;

        Pending(String origin, long nowNanos) {
            this.origin = origin;
            this.name = origin;
            this.deadlineNanos = nowNanos + timeout.toNanos();
        }
    }

    /** Which lookup and which question a query id belongs to. */
    private record Query(Pending lookup, boolean aaaa) {
    }

    private final EventLoop loop;
    private final List<InetSocketAddress> servers;
    private final Set<InetSocketAddress> serverSet;
    private final boolean ipv6;
    private final Duration timeout;
    private final AnswerCache cache;
    private final IntSupplier firstServer;
    private final LongSupplier nanoClock;
    private final Map<String, Pending> byName = new HashMap<>();
    private final Map<Integer, Query> byId = new HashMap<>();
    private final SplittableRandom ids = new SplittableRandom();
    private final ChannelFuture socket;

    LoopClient(EventLoop loop, boolean epoll, List<InetSocketAddress> servers, Resolver settings, AnswerCache cache,
               IntSupplier firstServer, LongSupplier nanoClock) {
        this.loop = loop;
        this.servers = servers;
        this.serverSet = new HashSet<>(servers);
        this.ipv6 = settings.ipv6();
        this.timeout = settings.timeout();
        this.cache = cache;
        this.firstServer = firstServer;
        this.nanoClock = nanoClock;
        this.socket = new Bootstrap().group(loop)
                .channelFactory(epoll ? EpollDatagramChannel::new : NioDatagramChannel::new)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(UDP_SIZE))
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryEncoder(), new DatagramDnsResponseDecoder(),
                                new SimpleChannelInboundHandler<DatagramDnsResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsResponse r) {
                                        answered(r);
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        // A datagram that is no DNS answer, or a refused send: the resend and the
                                        // timeout take care of the lookups.
                                        LOG.log(System.Logger.Level.DEBUG, "resolver: " + cause);
                                    }
                                });
                    }
                })
                .bind(new InetSocketAddress(0));
    }

    /** Looks {@code name} up (lower case), completing {@code answer} on this loop. */
    void lookup(String name, Promise<List<InetAddress>> answer) {
        long now = nanoClock.getAsLong();
        Optional<List<InetAddress>> known = cache.get(name, now);
        if (known.isPresent()) {
            answer.trySuccess(known.get());
            return;
        }
        Pending pending = byName.get(name);
        if (pending == null) {
            pending = new Pending(name, now);
            byName.put(name, pending);
            ask(pending, now);
        }
        pending.waiters.add(answer);
    }

    /** Starts the queries of the lookup's current name at the next server in turn. */
    private void ask(Pending p, long now) {
        forget(p);
        p.pair = new AnswerPair(ipv6);
        p.schedule = new QuerySchedule(servers.size(), firstServer.getAsInt(), now,
                Duration.ofNanos(Math.max(0, p.deadlineNanos - now)));
        p.idA = newId(p, false);
        p.idAaaa = ipv6 ? newId(p, true) : -1;
        send(p);
        arm(p, now);
    }

    private int newId(Pending p, boolean aaaa) {
        int id;
        do {
            id = ids.nextInt(1 << 16);
        } while (byId.containsKey(id));
        byId.put(id, new Query(p, aaaa));
        return id;
    }

    /** Sends the questions still unanswered to the schedule's current server. */
    private void send(Pending p) {
        InetSocketAddress server = servers.get(p.schedule.server());
        if (p.pair.waitsFor(false)) send(server, p.idA, p.name, DnsRecordType.A);
        if (p.pair.waitsFor(true)) send(server, p.idAaaa, p.name, DnsRecordType.AAAA);
    }

    private void send(InetSocketAddress server, int id, String name, DnsRecordType type) {
        DatagramDnsQuery query = new DatagramDnsQuery(null, server, id);
        query.setRecursionDesired(true);
        query.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name, type));
        if (socket.isDone()) {
            write(query);
        } else {
            socket.addListener(bound -> write(query));
        }
    }

    private void write(DatagramDnsQuery query) {
        if (socket.isSuccess() && socket.channel().isActive()) {
            socket.channel().writeAndFlush(query, socket.channel().voidPromise());
        } else {
            query.release();
        }
    }

    private void arm(Pending p, long now) {
        p.timer = loop.schedule(() -> tick(p), p.schedule.nanosToNextEvent(now), TimeUnit.NANOSECONDS);
    }

    private void tick(Pending p) {
        if (byName.get(p.origin) != p) return;
        long now = nanoClock.getAsLong();
        if (p.schedule.expired(now)) {
            finish(p, new LookupFailure(p.origin, LookupFailure.TIMED_OUT));
            return;
        }
        if (p.schedule.resendDue(now)) send(p);
        arm(p, now);
    }

    private void answered(DatagramDnsResponse response) {
        Query query = byId.get(response.id());
        if (query == null || !serverSet.contains(response.sender()) || !DnsOpCode.QUERY.equals(response.opCode())
                || response.count(DnsSection.QUESTION) != 1) {
            return;
        }
        Pending p = query.lookup();
        DnsQuestion question = response.recordAt(DnsSection.QUESTION);
        DnsRecordType asked = query.aaaa() ? DnsRecordType.AAAA : DnsRecordType.A;
        if (!question.type().equals(asked) || !sameName(question.name(), p.name)) return;
        int rcode = response.code().intValue();
        Optional<Answer> answer = read(response, rcode, query.aaaa());
        if (answer.isEmpty()) {
            // nginx's "DNS error": it waits for another answer, so the lookup may end in a timeout.
            LOG.log(System.Logger.Level.WARNING, "resolver: DNS error (" + rcode + ": " + LookupFailure.words(rcode)
                    + "), query id:" + response.id() + ", name:\"" + p.name + "\" from " + response.sender());
            return;
        }
        Optional<AnswerPair.Outcome> outcome = p.pair.take(query.aaaa(), answer.get());
        if (outcome.isEmpty()) return;
        AnswerPair.Outcome done = outcome.get();
        long now = nanoClock.getAsLong();
        if (done instanceof AnswerPair.Outcome.Found found) {
            cache.put(p.origin, found.addresses(), found.ttl(), now);
            finish(p, found.addresses());
        } else if (done instanceof AnswerPair.Outcome.Follow follow && p.aliases < MAX_ALIASES) {
            p.aliases++;
            p.name = follow.alias().toLowerCase(Locale.ROOT);
            p.timer.cancel(false);
            ask(p, now);
        } else {
            int code = done instanceof AnswerPair.Outcome.Failed failed ? failed.code() : LookupFailure.HOST_NOT_FOUND;
            finish(p, new LookupFailure(p.origin, code));
        }
    }

    private static boolean sameName(String answered, String asked) {
        String name = answered.endsWith(".") ? answered.substring(0, answered.length() - 1) : answered;
        String wanted = asked.endsWith(".") ? asked.substring(0, asked.length() - 1) : asked;
        return name.equalsIgnoreCase(wanted);
    }

    /** The answer section's addresses of the asked type, their smallest TTL and a CNAME's target. */
    private static Optional<Answer> read(DatagramDnsResponse response, int rcode, boolean aaaa) {
        List<InetAddress> addresses = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        Optional<String> alias = Optional.empty();
        int length = aaaa ? 16 : 4;
        for (int i = 0, n = response.count(DnsSection.ANSWER); i < n; i++) {
            DnsRecord record = response.recordAt(DnsSection.ANSWER, i);
            if (!(record instanceof ByteBufHolder holder)) continue;
            ByteBuf content = holder.content();
            if (record.type().equals(aaaa ? DnsRecordType.AAAA : DnsRecordType.A)
                    && content.readableBytes() == length) {
                byte[] bytes = new byte[length];
                content.getBytes(content.readerIndex(), bytes);
                try {
                    addresses.add(InetAddress.getByAddress(bytes));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("an address of " + length + " bytes", e);
                }
                ttl = Math.min(ttl, record.timeToLive());
            } else if (record.type().equals(DnsRecordType.CNAME) && alias.isEmpty()) {
                alias = Optional.of(DefaultDnsRecordDecoder.decodeName(content.duplicate()));
            }
        }
        return Answer.of(rcode, addresses, ttl, alias);
    }

    private void finish(Pending p, List<InetAddress> addresses) {
        end(p);
        p.waiters.forEach(w -> w.trySuccess(addresses));
    }

    private void finish(Pending p, LookupFailure failure) {
        end(p);
        p.waiters.forEach(w -> w.tryFailure(failure));
    }

    private void end(Pending p) {
        byName.remove(p.origin, p);
        forget(p);
        if (p.timer != null) p.timer.cancel(false);
    }

    private void forget(Pending p) {
        if (p.idA >= 0) byId.remove(p.idA);
        if (p.idAaaa >= 0) byId.remove(p.idAaaa);
        p.idA = -1;
        p.idAaaa = -1;
    }

    /** Closes the socket; the lookups in flight time out as they would without answers. */
    void close() {
        socket.channel().close();
    }
}
