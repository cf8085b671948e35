package dev.proxyline.server.app;

import dev.proxyline.server.http.connection.HttpConnectionStages;
import dev.proxyline.server.transport.AcceptedChannelSetup;
import io.netty.channel.Channel;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Each connection accepted on an http listen socket: counted as a live session (told {@code Drain.REQUESTED}
 * when the server drains), then the front stage and the socket's {@link HttpConnectionStages} (TLS,
 * HTTP/1.1 or HTTP/2, the request stage).
 */
final class HttpConnectionInitializer implements AcceptedChannelSetup {
    private final ListenerFront front;
    private final HttpConnectionStages stages;
    private final LiveSessions sessions;
    private final AtomicLong serials;

    HttpConnectionInitializer(ListenerFront front, HttpConnectionStages stages, LiveSessions sessions,
                              AtomicLong serials) {
        this.front = Objects.requireNonNull(front, "front");
        this.stages = Objects.requireNonNull(stages, "stages");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.serials = Objects.requireNonNull(serials, "serials");
    }

    @Override
    public void setUp(Channel ch) {
        sessions.add(ch);
        front.install(ch, stages, serials.incrementAndGet());
    }
}
