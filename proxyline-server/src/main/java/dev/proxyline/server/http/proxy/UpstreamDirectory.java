package dev.proxyline.server.http.proxy;

import dev.proxyline.server.upstream.UpstreamGroup;
import dev.proxyline.server.variables.Template;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The upstream groups a {@code proxy_pass} with variables can name, as nginx looks them up per request
 * ({@code ngx_http_upstream_init_request}): the {@code upstream} blocks of the {@code http} block, which a URL
 * without a port names, and the implicit one-server groups of literal {@code proxy_pass} URLs, which a URL names
 * with their host and port (the scheme's default port when it writes none). Hosts compare ignoring case. Filled
 * while the http block is planned, then {@link #seal sealed}: only reads happen while requests are served.
 */
public final class UpstreamDirectory {
    /** A group with what requests to it share: its hash key and its idle connections. */
    public record Entry(UpstreamGroup group, Optional<Template> hashKey, UpstreamPool pool) {
        public Entry {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(hashKey, "hashKey");
            Objects.requireNonNull(pool, "pool");
        }
    }

    /** @param port 0 for an {@code upstream} block */
    private record Key(String host, int port) {
    }

    private final Map<Key, Entry> building = new HashMap<>();
    private Map<Key, Entry> entries = Map.of();

    /** An {@code upstream NAME} block. The first group of a name and port stays, as nginx finds the first. */
    void block(String name, Entry entry) {
        building.putIfAbsent(new Key(name.toLowerCase(Locale.ROOT), 0), entry);
    }

    /** The implicit group of a literal {@code proxy_pass http://HOST:PORT}. */
    void implicit(String host, int port, Entry entry) {
        if (port < 1) throw new IllegalArgumentException("port " + port);
        building.putIfAbsent(new Key(host.toLowerCase(Locale.ROOT), port), entry);
    }

    /** Planning is over: what was added is what requests find. */
    void seal() {
        entries = Map.copyOf(building);
        building.clear();
    }

    /** The group {@code url} names, if any: an {@code upstream} block only when it has no port. */
    public Optional<Entry> find(ProxyUrl url) {
        String host = url.host().toLowerCase(Locale.ROOT);
        Entry block = url.noPort() ? entries.get(new Key(host, 0)) : null;
        return Optional.ofNullable(block != null ? block : entries.get(new Key(host, url.port())));
    }
}
