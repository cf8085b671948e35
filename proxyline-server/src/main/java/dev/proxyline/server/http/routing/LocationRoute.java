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

    /**
     * nginx's automatic redirect: the path is a location's name without its trailing {@code /}, and that
     * location passes requests upstream ({@code proxy_pass}). Answer 301 with {@code Location: target}, plus
     * {@code ?} and the query when the request had one.
     */
    record Redirect(Location location, String target) implements LocationRoute {
        public Redirect {
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(target, "target");
        }
    }

    /** No location matched: nginx then serves the request with the server-level configuration. */
    record NotFound() implements LocationRoute {
    }
}
