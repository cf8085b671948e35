package dev.proxyline.server.app;

import dev.proxyline.config.Listen;
import dev.proxyline.config.ProxylineConfig;
import dev.proxyline.protocol.netty.ProxyCounters;
import dev.proxyline.protocol.netty.ProxyReceiveStage;
import dev.proxyline.protocol.netty.RejectionLog;
import dev.proxyline.server.accesslog.AccessLogWriter;
import dev.proxyline.server.http.proxy.Drain;
import dev.proxyline.server.http.proxy.HttpCounters;
import dev.proxyline.server.http.proxy.HttpListenerPlan;
import dev.proxyline.server.http.proxy.HttpPlanner;
import dev.proxyline.server.http.proxy.HttpRuntime;
import dev.proxyline.server.http.proxy.ProxyRequestStage;
import dev.proxyline.server.runtime.HostResolver;
import dev.proxyline.server.runtime.Hostnames;
import dev.proxyline.server.runtime.RuntimePlanException;
import dev.proxyline.server.transport.ListenerBootstrap;
import dev.proxyline.server.transport.ListenerOptions;
import dev.proxyline.server.variables.VariableTable;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/** The {@code http} part of the server: plans the http listen sockets and binds them with {@link PlainHttpStages}. */
final class HttpListeners {
    private final HttpRuntime runtime;
    private final List<HttpListenerPlan> plans;

    private HttpListeners(HttpRuntime runtime, List<HttpListenerPlan> plans) {
        this.runtime = runtime;
        this.plans = plans;
    }

    /** Plans {@code config}'s http block (none without one); problems are added to {@code problems}. */
    static HttpListeners plan(ProxylineConfig config, RunOptions options, AccessLogWriter logs,
                              List<String> problems) {
        HttpRuntime runtime = new HttpRuntime(options.clock(), options.nanoClock(),
                new RejectionLog(System.getLogger(HttpListeners.class.getPackageName() + ".http"), Duration.ofSeconds(10),
                        options.nanoClock()), new HttpCounters());
        if (config.http().isEmpty()) return new HttpListeners(runtime, List.of());
        try {
            VariableTable variables = VariableTable.http(ZoneId.systemDefault(), Hostnames.current(),
                    ProcessHandle.current().pid());
            return new HttpListeners(runtime, new HttpPlanner(variables, HostResolver.system(), options.nanoClock(),
                    new SplittableRandom(), options.prefix(), logs::register).plan(config.http().get()));
        } catch (RuntimePlanException e) {
            problems.addAll(e.problems());
            return new HttpListeners(runtime, List.of());
        }
    }

    /** Binds every planned socket; each bound listener is added to {@code bound}, each failure to {@code problems}. */
    void bind(ListenerBootstrap bootstrap, LiveSessions sessions, AtomicLong serials, RejectionLog proxyRefusals,
              List<Channel> bound, List<String> labels, List<String> problems) {
        for (HttpListenerPlan plan : plans) {
            Listen listen = plan.listener().listen();
            ListenerOptions socket = new ListenerOptions(plan.listener().address(), listen.backlog(),
                    listen.reusePort(), listen.soKeepalive().orElse(false), OptionalInt.empty());
            var proxyStage = plan.listener().receive()
                    .map(settings -> new ProxyReceiveStage(settings, new ProxyCounters(), proxyRefusals));
            ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
            ChannelFuture future = bootstrap.bind(socket,
                    new PlainHttpStages(proxyStage, new ProxyRequestStage(plan, runtime), sessions, serials, open));
            future.awaitUninterruptibly();
            if (future.isSuccess()) {
                // Draining starts by closing the listeners; the connections then stop keeping themselves alive.
                future.channel().closeFuture().addListener(closed ->
                        open.forEach(ch -> ch.pipeline().fireUserEventTriggered(Drain.REQUESTED)));
                bound.add(future.channel());
                labels.add(listen.proxyProtocol() ? " http proxy_protocol" : " http");
            } else {
                problems.add(listen.position() + ": bind() to " + Addresses.format(plan.listener().address())
                        + " failed (" + future.cause().getMessage() + ")");
            }
        }
    }
}
