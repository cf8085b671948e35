package dev.proxyline.server.http.routing;

import dev.proxyline.config.Location;
import java.util.List;
import java.util.Objects;

/** What {@link LocationRouter} decided for one path. */
public sealed interface LocationRoute {
    /**
     * The innermost matching location, with the chain of enclosing locations from the server level down
     * ({@code path.get(path.size() - 1) == location}), for settings and handlers that depend on nesting.
     */
    record Found(Location location, List<Location> path) implements LocationRoute {
        public Found {
            Objects.requireNonNull(location, "location");
            path = List.copyOf(path);
        }
    }

    /** No location matched: nginx then serves the request with the server-level configuration. */
    record NotFound() implements LocationRoute {
    }
}
