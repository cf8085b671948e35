package dev.proxyline.server.http.routing;

import dev.proxyline.config.Ascii;
import dev.proxyline.config.HttpServer;
import dev.proxyline.config.Listen;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Chooses the {@code server} block for a request arriving on one listen socket, with nginx's
 * {@code server_name} order: exact name, longest leading wildcard ({@code *.example.org}), longest
 * trailing wildcard ({@code mail.*}), first matching regex in configuration order, then the
 * {@code default_server} of the socket, else the first server that listens on it.
 *
 * <p>Only servers listening on exactly this socket are candidates: as in nginx, a server on
 * {@code *:80} does not answer connections accepted by a {@code 127.0.0.1:80} socket.
 */
public final class VirtualHosts {
    static final HostRoute.BadHost EMPTY = new HostRoute.BadHost("empty Host");
    static final HostRoute.BadHost ILLEGAL_CHAR = new HostRoute.BadHost("Host contains \"/\", a control character or a space");
    static final HostRoute.BadHost DOUBLE_DOT = new HostRoute.BadHost("Host contains \"..\"");

    private static final HostRoute.Via[] VIAS = HostRoute.Via.values();

    private final String bindKey;
    private final List<HttpServer> servers;
    /** [server][via]: results built once so that a lookup returns a shared instance. */
    private final HostRoute.Server[][] routes;
    private final NameTable exact;
    /** {@code *.x} and {@code .x}, keyed by {@code x}: hit when the host ends with {@code .x}. */
    private final NameTable subdomains;
    /** {@code .x} keyed by {@code x}: hit when the host is {@code x} itself. */
    private final NameTable bare;
    /** {@code x.*} keyed by {@code x}. */
    private final NameTable trailing;
    private final Pattern[] regexes;
    private final int[] regexServers;
    private final int defaultIndex;

    /**
     * Builds the router for the socket {@code bindKey} (as {@link Listen#bindKey()} spells it) from the servers
     * of an http block, in configuration order.
     *
     * @throws IllegalArgumentException if no server listens on {@code bindKey}, or a server name is invalid
     *                                  (all invalid names are listed)
     */
    public VirtualHosts(String bindKey, List<HttpServer> allServers) {
        this.bindKey = Objects.requireNonNull(bindKey, "bindKey");
        List<HttpServer> mine = new ArrayList<>();
        int def = -1;
        for (HttpServer s : allServers) {
            for (Listen l : s.listens()) {
                if (!l.bindKey().equals(bindKey)) continue;
                if (l.defaultServer() && def < 0) def = mine.size();
                mine.add(s);
                break;
            }
        }
        if (mine.isEmpty()) throw new IllegalArgumentException("no http server listens on " + bindKey);
        this.servers = List.copyOf(mine);
        this.defaultIndex = Math.max(def, 0);
        this.routes = new HostRoute.Server[mine.size()][VIAS.length];
        for (int i = 0; i < mine.size(); i++) {
            for (HostRoute.Via v : VIAS) routes[i][v.ordinal()] = new HostRoute.Server(mine.get(i), v);
        }

        Names exactNames = new Names();
        Names subNames = new Names();
        Names bareNames = new Names();
        Names trailNames = new Names();
        List<Pattern> rx = new ArrayList<>();
        List<Integer> rxServers = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < mine.size(); i++) {
            HttpServer s = mine.get(i);
            // nginx's implicit server_name is "", which is what makes a server answer requests without Host.
            List<String> names = s.serverNames().isEmpty() ? List.of("") : s.serverNames();
            for (String raw : names) {
                if (raw.startsWith("~")) {
                    String regex = raw.substring(1);
                    if (regex.isEmpty()) {
                        errors.add(s.position() + ": empty regex in server_name \"~\"");
                        continue;
                    }
                    try {
                        // As nginx: caseless only when the pattern has an upper-case letter, which could
                        // otherwise never match the lower-cased host.
                        boolean upper = regex.chars().anyMatch(c -> c >= 'A' && c <= 'Z');
                        rx.add(Pattern.compile(regex, upper ? Pattern.CASE_INSENSITIVE : 0));
                        rxServers.add(i);
                    } catch (PatternSyntaxException e) {
                        errors.add(s.position() + ": invalid server_name regex \"" + raw + "\": " + e.getDescription());
                    }
                    continue;
                }
                String name = raw.toLowerCase(Locale.ROOT);
                int star = name.indexOf('*');
                if (name.startsWith("*.") && star == name.lastIndexOf('*') && name.length() > 2) {
                    subNames.add(name.substring(2), i);
                } else if (name.endsWith(".*") && star == name.length() - 1 && name.length() > 2) {
                    trailNames.add(name.substring(0, name.length() - 2), i);
                } else if (star >= 0) {
                    errors.add(s.position() + ": invalid server_name wildcard \"" + raw
                            + "\" (expected \"*.name\" or \"name.*\"; use a regex otherwise)");
                } else if (name.startsWith(".") && name.length() > 1) {
                    subNames.add(name.substring(1), i);
                    bareNames.add(name.substring(1), i);
                } else {
                    exactNames.add(name, i);
                }
            }
        }
        if (!errors.isEmpty()) throw new IllegalArgumentException(String.join("\n", errors));
        exact = exactNames.table();
        subdomains = subNames.table();
        bare = bareNames.table();
        trailing = trailNames.table();
        regexes = rx.toArray(new Pattern[0]);
        regexServers = rxServers.stream().mapToInt(Integer::intValue).toArray();
    }

    /** One router per listen socket of {@code servers}, in the order the sockets first appear. */
    public static Map<String, VirtualHosts> byListen(List<HttpServer> servers) {
        Map<String, VirtualHosts> out = new LinkedHashMap<>();
        for (HttpServer s : servers) {
            for (Listen l : s.listens()) out.computeIfAbsent(l.bindKey(), k -> new VirtualHosts(k, servers));
        }
        return Collections.unmodifiableMap(out);
    }

    /** The socket this router serves, e.g. {@code *:80}. */
    public String bindKey() {
        return bindKey;
    }

    /** The candidate servers in configuration order. */
    public List<HttpServer> servers() {
        return servers;
    }

    /** The server that answers when no name matches. */
    public HttpServer defaultServer() {
        return servers.get(defaultIndex);
    }

    /** Routes a request that has no Host header (HTTP/1.0): only the name {@code ""} matches. */
    public HostRoute selectWithoutHost() {
        int i = exact.get("", 0, 0);
        return i >= 0 ? routes[i][HostRoute.Via.EXACT.ordinal()] : routes[defaultIndex][HostRoute.Via.DEFAULT.ordinal()];
    }

    /**
     * Routes by a Host header value or a TLS SNI name. Case is ignored; a {@code :port} and one trailing dot
     * are removed, as nginx does.
     */
    public HostRoute select(String host) {
        Objects.requireNonNull(host, "host");
        int len = hostLength(host);
        if (len < 0) return len == -1 ? ILLEGAL_CHAR : len == -2 ? DOUBLE_DOT : EMPTY;
        int i = exact.get(host, 0, len);
        if (i >= 0) return routes[i][HostRoute.Via.EXACT.ordinal()];
        // Most configurations have no wildcard names: their tables are not probed once per label.
        if (!subdomains.isEmpty()) {
            // Leading wildcards: the leftmost hit is the one with the most labels, i.e. the longest.
            i = bare.get(host, 0, len);
            for (int dot = -1; i < 0 && (dot = indexOf(host, '.', dot + 1, len)) >= 0; ) {
                i = subdomains.get(host, dot + 1, len);
            }
            if (i >= 0) return routes[i][HostRoute.Via.LEADING_WILDCARD.ordinal()];
        }
        if (!trailing.isEmpty()) {
            // Trailing wildcards: the rightmost hit is the longest.
            for (int dot = len; i < 0 && (dot = lastIndexOf(host, '.', dot - 1)) >= 0; ) {
                i = trailing.get(host, 0, dot);
            }
            if (i >= 0) return routes[i][HostRoute.Via.TRAILING_WILDCARD.ordinal()];
        }
        if (regexes.length > 0) {
            String normal = Ascii.lowerCase(host, len);
            for (int r = 0; r < regexes.length; r++) {
                Matcher m = regexes[r].matcher(normal);
                if (m.find()) return routes[regexServers[r]][HostRoute.Via.REGEX.ordinal()];
            }
        }
        return routes[defaultIndex][HostRoute.Via.DEFAULT.ordinal()];
    }

    /**
     * The length of the host part after nginx's Host validation (ngx_http_validate_host): -1 for a {@code /},
     * control character or space, -2 for {@code ..}, -3 when nothing is left.
     */
    static int hostLength(String h) {
        int n = h.length();
        int hostLen = n;
        int dotPos = Integer.MIN_VALUE;
        int state = 0; // 0 usual, 1 inside an IPv6 literal, 2 after the host (":port")
        for (int i = 0; i < n; i++) {
            char c = h.charAt(i);
            switch (c) {
                case '.' -> {
                    if (dotPos == i - 1) return -2;
                    dotPos = i;
                }
                case ':' -> {
                    if (state == 0) {
                        hostLen = i;
                        state = 2;
                    }
                }
                case '[' -> {
                    if (i == 0) state = 1;
                }
                case ']' -> {
                    if (state == 1) {
                        hostLen = i + 1;
                        state = 2;
                    }
                }
                default -> {
                    if (c == '/' || c <= 0x20 || c == 0x7f) return -1;
                }
            }
        }
        if (dotPos == hostLen - 1) hostLen--;
        return hostLen == 0 ? -3 : hostLen;
    }

    private static int indexOf(String s, char c, int from, int to) {
        for (int i = from; i < to; i++) if (s.charAt(i) == c) return i;
        return -1;
    }

    private static int lastIndexOf(String s, char c, int from) {
        for (int i = from; i >= 0; i--) if (s.charAt(i) == c) return i;
        return -1;
    }

    private static final class Names {
        final List<String> names = new ArrayList<>();
        final List<Integer> servers = new ArrayList<>();

        void add(String name, int server) {
            names.add(name);
            servers.add(server);
        }

        NameTable table() {
            return new NameTable(names.toArray(new String[0]), servers.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
