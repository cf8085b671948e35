package dev.proxyline.server.http.proxy;

import dev.proxyline.config.HttpServer;
import dev.proxyline.config.Location;
import dev.proxyline.server.http.routing.LocationRouter;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code server} block compiled: its location router and the plan of each location.
 *
 * @param server      the block
 * @param router      nginx's location order
 * @param serverLevel the plan used where no location matched, and for the server's own {@code return}
 * @param locations   each location's plan, by identity
 * @param rewrites    the server's own rewrite-module steps, run before a location is chosen
 * @param setSlots    how many variables {@code set} assigns in the whole http block (a request's set values)
 */
public record ServerPlan(HttpServer server, LocationRouter router, LocationPlan serverLevel,
                         Map<Location, LocationPlan> locations, List<LocationPlan.Step> rewrites, int setSlots) {
    public ServerPlan {
        rewrites = List.copyOf(rewrites);
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
