package dev.proxyline.server.app;

import dev.proxyline.protocol.netty.ProxyReceiveStage;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pipeline of a connection accepted by one {@code listen}: the PROXY receive stage first when the
 * listen has {@code proxy_protocol}, then {@link RelayStart}. Also registers the connection for
 * draining and gives it its {@link SessionContext}.
 */
final class ConnectionInitializer extends ChannelInitializer<Channel> {
    private final Optional<ProxyReceiveStage> proxyStage;
    private final RelayStart relayStart;
    private final LiveSessions sessions;
    private final AtomicLong serials;
    private final Clock clock;

    ConnectionInitializer(Optional<ProxyReceiveStage> proxyStage, StreamService service, LiveSessions sessions,
                          AtomicLong serials, Clock clock) {
        this.proxyStage = Objects.requireNonNull(proxyStage, "proxyStage");
        this.relayStart = new RelayStart(service);
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.serials = Objects.requireNonNull(serials, "serials");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    protected void initChannel(Channel ch) {
        SessionContext.attach(ch, serials.incrementAndGet(), clock);
        sessions.add(ch);
        proxyStage.ifPresent(stage -> stage.addFirst(ch.pipeline()));
        ch.pipeline().addLast(StageNames.RELAY_START, relayStart);
    }
}
