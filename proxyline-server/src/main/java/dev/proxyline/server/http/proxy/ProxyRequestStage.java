package dev.proxyline.server.http.proxy;

import dev.proxyline.server.http.HttpConnection;
import dev.proxyline.server.http.RequestStage;
import io.netty.channel.ChannelHandler;
import java.util.Objects;

/** The request stage of one http listen socket: routing, realip, proxying and the access log. */
public final class ProxyRequestStage implements RequestStage {
    private final HttpListenerPlan plan;
    private final HttpRuntime runtime;

    public ProxyRequestStage(HttpListenerPlan plan, HttpRuntime runtime) {
        this.plan = Objects.requireNonNull(plan, "plan");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    @Override
    public ChannelHandler newHandler(HttpConnection connection) {
        return new RequestHandler(connection, plan, runtime);
    }
}
