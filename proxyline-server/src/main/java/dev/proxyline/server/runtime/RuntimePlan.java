package dev.proxyline.server.runtime;

import dev.proxyline.config.Position;
import dev.proxyline.config.ProxyTarget;
import dev.proxyline.config.StreamSettings;
import dev.proxyline.server.accesslog.LogTarget;
import dev.proxyline.server.limit.SessionLimits;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the runtime glue needs for one {@code stream { server { ... } }}, with names resolved,
 * templates compiled and policies translated, so that wiring it to sockets takes no decisions.
 *
 * @param position   where the server block starts, for messages
 * @param listeners  the sockets, each with its PROXY receive settings or none
 * @param upstream   where to relay and how to retry: one plan, or one per session for {@code proxy_pass} with
 *                   variables
 * @param settings   timeouts, buffer size, {@code proxy_bind} as configured
 * @param send       the PROXY header to send upstream, when {@code proxy_protocol on}
 * @param accessLogs the access logs (empty for none or {@code access_log off}); give them to
 *                   {@code AccessLogWriter.register}
 * @param limits     the {@code limit_conn}s, keys compiled and zones shared with the other servers
 * @param target     what {@code proxy_pass} names, as written: the default name of {@code proxy_ssl}
 */
public record RuntimePlan(Position position, List<ListenerPlan> listeners, StreamRoute upstream,
                          StreamSettings settings, Optional<ProxyHeaderBuilder> send, List<LogTarget> accessLogs,
                          SessionLimits limits, ProxyTarget target) {
    public RuntimePlan {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(send, "send");
        listeners = List.copyOf(listeners);
        accessLogs = List.copyOf(accessLogs);
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(target, "target");
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("a stream server plan needs a listener");
        }
    }
}
