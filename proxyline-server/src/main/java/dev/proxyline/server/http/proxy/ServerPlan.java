package dev.proxyline.server.http.proxy;

import dev.proxyline.config.HttpServer;
import dev.proxyline.config.Location;
import dev.proxyline.server.http.routing.LocationRouter;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code server} block compiled: its location router and the plan of each location.
 *
 * @param server      the block
 * @param router      nginx's location order
 * @param serverLevel the plan used where no location matched, and for the server's own {@code return}
 * @param locations   each location's plan, by identity
 */
public record ServerPlan(HttpServer server, LocationRouter router, LocationPlan serverLevel,
                         Map<Location, LocationPlan> locations) {
    public ServerPlan {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(serverLevel, "serverLevel");
        locations = new IdentityHashMap<>(locations);
    }

    /** The plan of {@code location}, one of this server's. */
    public LocationPlan plan(Location location) {
        return Objects.requireNonNull(locations.get(location), "location of another server");
    }

    /** {@code $server_name}: the first name, or empty. */
    public String name() {
        return server.serverNames().isEmpty() ? "" : server.serverNames().get(0);
    }
}
