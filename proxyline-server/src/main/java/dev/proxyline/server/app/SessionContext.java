package dev.proxyline.server.app;

import dev.proxyline.server.variables.UpstreamAttempt;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the assembly knows about one accepted connection beyond what the relay reports: its serial
 * number ({@code $connection}) and the upstream attempts the connector made. Lives on the client
 * channel ({@link #KEY}); touched only on that channel's event loop.
 */
final class SessionContext {
    /** The channel attribute holding the context; the only place its key is defined. */
    static final AttributeKey<SessionContext> KEY = AttributeKey.valueOf(SessionContext.class, "session");

    private final long connection;
    private final List<UpstreamAttempt> attempts = new ArrayList<>(2);

    SessionContext(long connection) {
        this.connection = connection;
    }

    /** The context of {@code channel}; a channel accepted without one gets serial 0. */
    static SessionContext of(Channel channel) {
        SessionContext context = channel.attr(KEY).get();
        if (context == null) {
            context = new SessionContext(0);
            channel.attr(KEY).set(context);
        }
        return context;
    }

    long connection() {
        return connection;
    }

    void attempt(UpstreamAttempt attempt) {
        attempts.add(Objects.requireNonNull(attempt, "attempt"));
    }

    List<UpstreamAttempt> attempts() {
        return List.copyOf(attempts);
    }
}
