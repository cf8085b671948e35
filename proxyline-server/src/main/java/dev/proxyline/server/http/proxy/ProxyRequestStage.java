package dev.proxyline.server.http.proxy;

import dev.proxyline.config.ClientConnection;
import dev.proxyline.config.HttpServer;
import dev.proxyline.server.http.HttpCodecLimits;
import dev.proxyline.server.http.HttpConnection;
import dev.proxyline.server.http.RequestStage;
import io.netty.channel.ChannelHandler;
import java.util.Objects;

/** The request stage of one http listen socket: routing, realip, proxying and the access log. */
public final class ProxyRequestStage implements RequestStage {
    private final HttpListenerPlan plan;
    private final HttpRuntime runtime;
    private final HeadRules headRules;
    private final HttpCodecLimits codecLimits;

    public ProxyRequestStage(HttpListenerPlan plan, HttpRuntime runtime) {
        this.plan = Objects.requireNonNull(plan, "plan");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.headRules = HeadRules.of(plan);
        this.codecLimits = codecLimits(plan);
    }

    @Override
    public ChannelHandler newHandler(HttpConnection connection) {
        return new RequestHandler(connection, plan, headRules, runtime);
    }

    @Override
    public HttpCodecLimits codecLimits() {
        return codecLimits;
    }

    /**
     * The decoder keeps what the largest buffers of any server of the socket hold (the request stage then measures the
     * head as the chosen server's buffers hold it); HTTP/2 has the default server's stream limit, as nginx takes it
     * from the server the connection starts with.
     */
    private static HttpCodecLimits codecLimits(HttpListenerPlan plan) {
        long line = 0;
        long head = 0;
        for (HttpServer s : plan.hosts().servers()) {
            ClientConnection.HeaderBuffers b = s.settings().client().headerBuffers();
            line = Math.max(line, Math.max(b.firstSize(), b.largeSize()));
            head = Math.max(head, b.firstSize() + (long) b.largeNumber() * b.largeSize());
        }
        return new HttpCodecLimits((int) Math.min(line, Integer.MAX_VALUE), (int) Math.min(head, Integer.MAX_VALUE),
                plan.defaultServer().server().settings().client().http2MaxConcurrentStreams());
    }
}
