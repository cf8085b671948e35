package dev.proxyline.server.http.routing;

import dev.proxyline.config.HttpAction;
import dev.proxyline.config.Location;
import dev.proxyline.config.LocationMatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chooses the {@code location} for a normalised path (see {@link UriPath}) with nginx's algorithm
 * (ngx_http_core_find_location), applied level by level:
 * <ol>
 *   <li>an exact {@code =} location equal to the path wins at once;</li>
 *   <li>otherwise the longest matching prefix location is remembered and its nested locations are searched
 *       the same way; a match found there that is exact or final is the answer;</li>
 *   <li>unless that longest prefix was {@code ^~}, the regex locations ({@code ~}, {@code ~*}) of this level
 *       are tried in configuration order, even when a nested prefix matched; the first that matches wins,
 *       refined by its own nested locations;</li>
 *   <li>otherwise the remembered prefix (or what its nested prefixes refined it to) is used.</li>
 * </ol>
 * Prefixes compare case-sensitively, as nginx on Linux. Named locations ({@code @name}) never match a path.
 *
 * <p>Like nginx, a request for {@code /app} when no location is named {@code /app} (prefix or exact) but
 * {@code /app/} has {@code proxy_pass} gets a {@link LocationRoute.Redirect} to {@code /app/}, decided before
 * any regex.
 */
public final class LocationRouter {
    private static final LocationRoute NOT_FOUND = new LocationRoute.NotFound();

    private final Level root;
    private final Map<String, Location> named;
    private final boolean hasRegexes;

    /**
     * Compiles the locations of one server block.
     *
     * Duplicate locations are the configuration's errors (a loaded configuration has none); here the first of a
     * name is kept.
     *
     * @throws IllegalArgumentException on nesting that nginx refuses ("is outside location", inside an exact or
     *                                  named location), all listed
     */
    public LocationRouter(List<Location> serverLocations) {
        List<String> errors = new ArrayList<>();
        Map<String, Location> names = new LinkedHashMap<>();
        for (Location l : serverLocations) {
            if (l.match().modifier() == LocationMatch.Modifier.NAMED) names.putIfAbsent(l.match().pattern(), l);
        }
        root = new Level(serverLocations, List.of(), errors);
        if (!errors.isEmpty()) throw new IllegalArgumentException(String.join("\n", errors));
        named = Map.copyOf(names);
        hasRegexes = root.hasRegexes();
    }

    /** Whether any location of the server, nested ones too, is a regex: only then does a search match one. */
    public boolean hasRegexes() {
        return hasRegexes;
    }

    /** The location for {@code normalizedPath}, which must come from {@link UriPath#normalize}. */
    public LocationRoute find(String normalizedPath) {
        return find(normalizedPath, RegexMatches.DISCARDED);
    }

    /**
     * {@link #find(String)}, leaving in {@code matches} the matches of the regex locations the answer is found in
     * (the found location and those enclosing it that are regexes, outermost first; none for other answers).
     */
    public LocationRoute find(String normalizedPath, RegexMatches matches) {
        Objects.requireNonNull(normalizedPath, "normalizedPath");
        matches.clear();
        Object r = root.find(normalizedPath, matches);
        if (r instanceof Node n) return n.route;
        if (r instanceof Candidate c) return c.node.route;
        if (r instanceof RedirectHit h) return h.node.redirect;
        return NOT_FOUND;
    }

    /** Normalises {@code rawPath} (path and optional query) and finds its location; a bad path is 400. */
    public Routed route(String rawPath) {
        UriPath.Result r = UriPath.normalize(rawPath);
        if (r instanceof UriPath.Normal n) return new Routed.Ok(n.path(), find(n.path()));
        return new Routed.BadRequest(((UriPath.BadRequest) r).reason());
    }

    /** The outcome of {@link #route}. */
    public sealed interface Routed {
        /** The normalised path and its location. */
        record Ok(String path, LocationRoute route) implements Routed {
            public Ok {
                Objects.requireNonNull(path, "path");
                Objects.requireNonNull(route, "route");
            }
        }

        /** Answer 400 Bad Request. */
        record BadRequest(String reason) implements Routed {
            public BadRequest {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }

    /** A server-level {@code location @name}, the target of {@code error_page}/{@code try_files}. */
    public Optional<Location> named(String name) {
        return Optional.ofNullable(named.get(name));
    }

    /** A compiled location with its prebuilt answer and nested level. */
    private static final class Node {
        final Location location;
        final LocationRoute.Found route;
        final Level nested;
        final Pattern regex;
        final Candidate candidate = new Candidate(this);
        final RedirectHit redirectHit = new RedirectHit(this);
        final LocationRoute.Redirect redirect;

        Node(Location location, List<Location> parents, List<String> errors) {
            this.location = location;
            List<Location> path = new ArrayList<>(parents);
            path.add(location);
            this.route = new LocationRoute.Found(location, path);
            this.redirect = new LocationRoute.Redirect(location, location.match().pattern());
            this.regex = location.match().regex().orElse(null);
            this.nested = new Level(location.locations(), path, errors);
        }

        /** nginx sets auto_redirect for a location whose name ends with "/" when it has proxy_pass. */
        boolean autoRedirect() {
            String p = location.match().pattern();
            return p.length() > 1 && p.endsWith("/") && location.action().orElse(null) instanceof HttpAction.ProxyPass;
        }

        boolean noRegex() {
            return location.match().modifier() == LocationMatch.Modifier.PREFIX_NO_REGEX;
        }
    }

    /** A prefix match that regexes of an enclosing level may still override (nginx's NGX_AGAIN). */
    private record Candidate(Node node) {
    }

    /** The path lacks only the trailing "/" of a location that redirects (nginx's NGX_DONE). */
    private record RedirectHit(Node node) {
    }

    /** The locations declared directly inside one block. */
    private static final class Level {
        final Map<String, Node> exact = new HashMap<>();
        /** Prefix locations (plain and ^~), longest first, so the first that matches is the longest. */
        final Node[] prefixes;
        final Node[] regexes;
        /** Keyed by the name without its trailing "/"; empty when that name is itself a location here. */
        final Map<String, Node> redirects = new HashMap<>();
        final boolean empty;

        Level(List<Location> locations, List<Location> parents, List<String> errors) {
            List<Node> pre = new ArrayList<>();
            List<Node> rx = new ArrayList<>();
            Map<String, Location> seenPrefix = new HashMap<>();
            Location parent = parents.isEmpty() ? null : parents.get(parents.size() - 1);
            for (Location l : locations) {
                LocationMatch lm = l.match();
                if (parent != null && !nestingAllowed(parent, l, errors)) continue;
                switch (lm.modifier()) {
                    case NAMED -> {
                        // Named locations are looked up by name only.
                    }
                    case EXACT -> exact.putIfAbsent(lm.pattern(), new Node(l, parents, errors));
                    case PREFIX, PREFIX_NO_REGEX -> {
                        // "/a" and "^~ /a" are the same prefix to nginx, hence one key for both.
                        if (seenPrefix.putIfAbsent(lm.pattern(), l) == null) pre.add(new Node(l, parents, errors));
                    }
                    case REGEX, REGEX_CASELESS -> rx.add(new Node(l, parents, errors));
                }
            }
            for (Node n : exact.values()) {
                if (n.autoRedirect()) redirects.put(withoutSlash(n), n);
            }
            for (Node n : pre) {
                // When both "= /a/" and "/a/" exist, nginx redirects with the exact one's configuration.
                if (n.autoRedirect()) redirects.putIfAbsent(withoutSlash(n), n);
            }
            redirects.keySet().removeIf(k -> exact.containsKey(k) || seenPrefix.containsKey(k));
            pre.sort(Comparator.comparingInt((Node n) -> n.location.match().pattern().length()).reversed());
            prefixes = pre.toArray(new Node[0]);
            regexes = rx.toArray(new Node[0]);
            empty = exact.isEmpty() && prefixes.length == 0 && regexes.length == 0;
        }

        boolean hasRegexes() {
            if (regexes.length > 0) return true;
            for (Node n : exact.values()) if (n.nested.hasRegexes()) return true;
            for (Node n : prefixes) if (n.nested.hasRegexes()) return true;
            return false;
        }

        /**
         * nginx's recursive search. Returns a {@link Node} when the answer is final (exact match, or a regex
         * matched at some level), a {@link RedirectHit} (final too), a {@link Candidate} holding a prefix match
         * that outer regexes may still override, or null when nothing matched.
         */
        Object find(String path, RegexMatches matches) {
            if (empty) return null;
            Node e = exact.get(path);
            if (e != null) return e;
            Node redirect = redirects.get(path);
            if (redirect != null) return redirect.redirectHit;
            Object result = null;
            boolean noRegex = false;
            for (Node p : prefixes) {
                if (!path.startsWith(p.location.match().pattern())) continue;
                noRegex = p.noRegex();
                Object inner = p.nested.find(path, matches);
                if (inner instanceof Node || inner instanceof RedirectHit) return inner;
                result = inner != null ? inner : p.candidate;
                break;
            }
            if (!noRegex) {
                for (Node r : regexes) {
                    Matcher match = r.regex.matcher(path);
                    if (match.find()) {
                        // Final: a regex that matches ends the search at this level, so what is kept is the answer's.
                        matches.add(match);
                        Object inner = r.nested.find(path, matches);
                        // Under a regex nginx reports every nested result as found (NGX_OK), so a
                        // nested redirect becomes a plain match of its location.
                        if (inner instanceof Candidate c) return c.node;
                        if (inner instanceof RedirectHit h) return h.node;
                        return inner != null ? inner : r;
                    }
                }
            }
            return result;
        }

        /**
         * nginx's nesting rules (ngx_http_core_location). A non-regex location must start with its parent's
         * name, even when the parent is a regex, so that its prefix can only ever see paths the parent saw.
         */
        private static boolean nestingAllowed(Location parent, Location child, List<String> errors) {
            LocationMatch p = parent.match();
            LocationMatch c = child.match();
            String where = child.position() + ": location \"" + c.pattern() + "\" ";
            if (p.modifier() == LocationMatch.Modifier.EXACT) {
                errors.add(where + "cannot be inside the exact location \"" + p.pattern() + "\"");
            } else if (p.modifier() == LocationMatch.Modifier.NAMED) {
                errors.add(where + "cannot be inside the named location \"@" + p.pattern() + "\"");
            } else if (c.modifier() == LocationMatch.Modifier.NAMED) {
                errors.add(child.position() + ": named location \"@" + c.pattern() + "\" can be on the server level only");
            } else if (c.modifier() != LocationMatch.Modifier.REGEX && c.modifier() != LocationMatch.Modifier.REGEX_CASELESS
                    && !c.pattern().startsWith(p.pattern())) {
                errors.add(where + "is outside location \"" + p.pattern() + "\"");
            } else {
                return true;
            }
            return false;
        }

        private static String withoutSlash(Node n) {
            String p = n.location.match().pattern();
            return p.substring(0, p.length() - 1);
        }
    }
}
