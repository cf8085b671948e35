package dev.proxyline.server.http.routing;

import dev.proxyline.config.HttpServer;
import java.util.Objects;

/** What {@link VirtualHosts} decided for one request. */
public sealed interface HostRoute {
    /** Which {@code server_name} rule chose the server; {@link #DEFAULT} when none matched. */
    enum Via {
        /** an exact name, including the empty name {@code ""} for requests without Host. */
        EXACT,
        /** {@code *.example.org}, or {@code .example.org}. */
        LEADING_WILDCARD,
        /** {@code mail.*}. */
        TRAILING_WILDCARD,
        /** {@code ~regex}. */
        REGEX,
        /** no name matched: the {@code default_server}, else the first server of the listen socket. */
        DEFAULT
    }

    /** Serve the request with {@code server}. */
    record Server(HttpServer server, Via via) implements HostRoute {
        public Server {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(via, "via");
        }
    }

    /** The Host header (or SNI name) is malformed: answer 400 Bad Request, as nginx does. */
    record BadHost(String reason) implements HostRoute {
        public BadHost {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
